"""Best program so far: candidate 646, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(g, m, 0.800000011920929)
  v2 = m / v
  v4 = sign(g)
  v5 = m * 0.5
  v6 = v4 + v5
  update = v6 * lr
  return update, m, v
