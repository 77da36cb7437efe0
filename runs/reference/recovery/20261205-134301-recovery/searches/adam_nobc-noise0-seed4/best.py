"""Best program so far: candidate 90287, fitness 0.112398 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v39 = max(m, lr)
  v30 = interp(v, v39, v39)
  v39 = sqrt(m)
  v41 = g / v30
  m = interp(m, 0.5549958944320679, -1.0919839143753052)
  v32 = arccos(v39)
  v = min(v32, v41)
  v22 = v41 + 4.561653137207031
  v34 = v39 / v
  m = norm(m)
  m = log10(m)
  v = clip_by_global_norm(m, -2.1969990730285645)
  v33 = sinh(v30)
  v40 = negative(v33)
  v37 = power(v39, w)
  v22 = lr * v22
  v22 = max(v22, m)
  v29 = arccos(v34)
  v36 = log1p(-0.09433096647262573)
  lr = v40 * v29
  update = v22 * v
  v35 = update - lr
  v27 = lr - -1.4654489755630493
  v39 = negative(v40)
  v = arccos(v27)
  v5 = arcsin(update)
  m = invert(v35)
  v31 = dot(lr, v)
  update = square(v5)
  return update, m, v
