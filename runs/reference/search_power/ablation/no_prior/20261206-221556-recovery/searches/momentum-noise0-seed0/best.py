"""Best program so far: candidate 439, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = m * 0.8999999761581421
  v3 = g + v2
  m = interp(v3, m, -9.897879182929614e-10)
  update = m * lr
  return update, m, v
