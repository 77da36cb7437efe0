"""Best program so far: candidate 598, fitness 1.59129 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = arctan(g)
  m = interp(v, m, 4.870050179306418e-05)
  v9 = v1 + g
  v = interp(g, v, 0.9002525210380554)
  v4 = v + v
  v5 = square(v4)
  v10 = abs(g)
  v11 = v5 / m
  m = interp(v5, v11, -5.078576183406468e-19)
  v6 = sqrt(m)
  v7 = v4 / v6
  update = v7 * lr
  return update, m, v
