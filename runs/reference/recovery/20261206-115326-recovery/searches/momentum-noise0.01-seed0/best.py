"""Best program so far: candidate 281, fitness 1.99948 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.8999976515769958
  v3 = g + v2
  v = interp(v3, v, 2.7549773221835494e-05)
  update = v * lr
  return update, m, v
