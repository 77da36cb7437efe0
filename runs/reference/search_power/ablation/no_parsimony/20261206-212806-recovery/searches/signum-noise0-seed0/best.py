"""Best program so far: candidate 2133, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.899992823600769)
  v1 = sign(v)
  v3 = sign(v1)
  m = interp(v3, m, 1.6292256432848262e-10)
  update = m * lr
  return update, m, v
