"""Best program so far: candidate 146, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.8999993205070496)
  v2 = sign(m)
  update = v2 * lr
  return update, m, v
