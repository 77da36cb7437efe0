"""Best program so far: candidate 281, fitness 2.99946 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.8999997973442078
  v3 = g + v2
  v = interp(v3, v, 2.874811116271303e-06)
  update = v * lr
  return update, m, v
