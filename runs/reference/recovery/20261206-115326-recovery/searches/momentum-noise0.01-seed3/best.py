"""Best program so far: candidate 278, fitness 1.99928 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g * 1.000130534172058
  v3 = v + v2
  v = interp(g, v3, 0.8999818563461304)
  update = v * lr
  return update, m, v
