"""Best program so far: candidate 159541, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = g / 7.434115545379427e-10
  m = interp(m, v, 0.8165581822395325)
  v = min(g, 3.043104887008667)
  v = g / 2.8116853463544533e-12
  v = m / 0.9072962999343872
  lr = 0.6366198062896729 * lr
  m = arctan(v)
  update = m * lr
  return update, m, v
