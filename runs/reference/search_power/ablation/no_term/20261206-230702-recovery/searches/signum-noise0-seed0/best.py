"""Best program so far: candidate 112, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999926447868347)
  v2 = sign(v)
  update = v2 * lr
  return update, m, v
