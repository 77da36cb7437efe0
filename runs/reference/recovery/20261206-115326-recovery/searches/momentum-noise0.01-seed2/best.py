"""Best program so far: candidate 363, fitness 2.00333 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = m * 0.9000048637390137
  v4 = g + v3
  m = interp(v4, m, 2.0057053916389123e-05)
  v = interp(m, v, 5.50447148270905e-05)
  update = v * lr
  return update, m, v
