"""Best program so far: candidate 5977, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = m * 9.550755741827288e-09
  v11 = g + v10
  v5 = square(v11)
  v = interp(v5, v, 0.9990000128746033)
  v6 = sqrt(v)
  v7 = w / v6
  v1 = abs(v7)
  v9 = abs(v1)
  v = interp(v, v, 0.007605592720210552)
  v2 = lr / v6
  m = interp(g, m, 0.8999999761581421)
  update = m * v2
  return update, m, v
