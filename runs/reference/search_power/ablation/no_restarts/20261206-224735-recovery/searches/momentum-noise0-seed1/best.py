"""Best program so far: candidate 335, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999999761581421)
  m = interp(g, v, 1.7795210860427346e-09)
  v4 = v * 8.999998092651367
  v5 = m + v4
  v2 = arctanh(v5)
  update = v5 * lr
  return update, m, v
