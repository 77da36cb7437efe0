"""Best program so far: candidate 2903, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.8999999761581421)
  v12 = m * -1.0
  v13 = g + v12
  v2 = square(v13)
  v = interp(v2, v, 0.9990000128746033)
  v3 = sqrt(v)
  v4 = m / v3
  v9 = v4 * 0.03607705980539322
  v11 = arctan(v9)
  v10 = m + v11
  v8 = sign(v10)
  v6 = v8 * 1.7812661345928404e-09
  v7 = v4 + v6
  update = v7 * lr
  return update, m, v
