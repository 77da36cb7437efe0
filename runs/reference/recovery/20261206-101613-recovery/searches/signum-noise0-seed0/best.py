"""Best program so far: candidate 499, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999993205070496)
  v2 = sign(v)
  update = v2 * lr
  return update, m, v
