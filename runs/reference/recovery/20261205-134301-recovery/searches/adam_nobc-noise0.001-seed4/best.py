"""Best program so far: candidate 94716, fitness 0.110788 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v39 = max(m, lr)
  v30 = interp(v, v39, v39)
  v32 = clip_by_global_norm(v39, lr)
  m = interp(m, 0.6114232540130615, -0.9411951303482056)
  m = min(lr, m)
  v = min(v30, g)
  v22 = g + 4.552119731903076
  v34 = v30 / v
  m = norm(m)
  m = log10(m)
  v = sign(v30)
  v = clip_by_global_norm(m, -2.1969990730285645)
  v31 = square(m)
  v33 = sinh(v30)
  v40 = negative(v33)
  v22 = v39 * v22
  v38 = cos(v33)
  v22 = max(v22, v31)
  v29 = arccos(v34)
  lr = v40 * v29
  v36 = pi()
  update = v22 * v
  v34 = sign(v34)
  v35 = update - lr
  v = arccos(v34)
  v32 = tanh(v22)
  v28 = global_norm(v)
  v5 = arcsin(update)
  m = invert(v35)
  update = square(v5)
  return update, m, v
