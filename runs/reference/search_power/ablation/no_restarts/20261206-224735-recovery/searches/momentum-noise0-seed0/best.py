"""Best program so far: candidate 281, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.8999999761581421
  v3 = g + v2
  v = interp(v3, v, 3.5759231131748948e-09)
  update = v * lr
  return update, m, v
