"""Best program so far: candidate 444, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999868035316467)
  v2 = sin(v)
  v3 = v * 0.22168684005737305
  v4 = v2 + v3
  v5 = square(v4)
  m = interp(v5, m, 4.392488109350445e-12)
  v6 = sqrt(m)
  v7 = v4 / v6
  update = v7 * lr
  return update, m, v
