"""Best program so far: candidate 298, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.8999825119972229)
  v1 = sign(m)
  update = v1 * lr
  return update, m, v
