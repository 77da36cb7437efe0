"""Best program so far: candidate 2445, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.800000011920929)
  v2 = m * -0.5
  v4 = log(v)
  v11 = v4 * v2
  v8 = abs(v11)
  m = interp(v8, m, 1.0)
  v3 = m + v2
  v6 = sign(g)
  v9 = v4 * 1.2104305824323092e-06
  v10 = v6 + v3
  v = interp(v10, v3, -9.506864628860967e-09)
  update = v * lr
  return update, m, v
