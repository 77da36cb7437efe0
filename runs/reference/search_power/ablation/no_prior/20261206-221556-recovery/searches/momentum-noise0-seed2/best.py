"""Best program so far: candidate 420, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = v * 2790.60302734375
  v4 = v + g
  m = interp(v, v4, 1.0)
  v = interp(g, m, 0.8999999761581421)
  v5 = w * -4.531900202331407e-11
  v6 = v + v5
  update = v6 * lr
  return update, m, v
