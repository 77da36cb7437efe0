"""Best program so far: candidate 280, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.8999999761581421
  v3 = g + v2
  v = interp(v3, v, -5.458661078705518e-09)
  update = v * lr
  return update, m, v
