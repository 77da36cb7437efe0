"""Best program so far: candidate 1677, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = invert(lr)
  v6 = cube(-90905.2265625)
  v5 = m * 8.999998092651367
  v = interp(v5, v, 0.8999999761581421)
  v7 = g + v
  update = v7 * lr
  m = clip(g, v6)
  return update, m, v
