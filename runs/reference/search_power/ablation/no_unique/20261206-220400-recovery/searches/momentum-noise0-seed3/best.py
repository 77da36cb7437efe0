"""Best program so far: candidate 1141, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.8999999761581421
  v3 = g + v2
  v = interp(v3, v, -4.952365628696498e-09)
  update = v * lr
  return update, m, v
