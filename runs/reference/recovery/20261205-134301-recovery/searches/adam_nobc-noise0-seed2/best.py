"""Best program so far: candidate 83254, fitness 0.118816 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = v / 0.3294886648654938
  v = v + g
  v39 = v - m
  v30 = log10(m)
  v35 = exp10(v39)
  v31 = lr * v
  v34 = min(v30, g)
  m = power(v, v34)
  v40 = pi()
  lr = cbrt(v31)
  v28 = invert(v31)
  v27 = max(v39, -0.3569204807281494)
  v32 = expm1(v31)
  v43 = v31 - v32
  m = clip(v43, m)
  v38 = expm1(v27)
  v36 = g + v27
  v41 = log1p(lr)
  v = clip_by_global_norm(v41, 1.41849684715271)
  v37 = arccos(v34)
  v33 = interp(v30, v, v31)
  v32 = log1p(v)
  v15 = sign(m)
  v = v32 - v15
  v29 = min(1.86540949344635, v41)
  v42 = max(-8.309895883194539e-31, v36)
  update = v42 * v
  update = sqrt(update)
  v = cube(v29)
  return update, m, v
