"""Best program so far: candidate 5540, fitness 1.01236 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.895634114742279)
  v14 = 0.6319535374641418 * m
  v2 = sqrt(v14)
  v10 = v14 + g
  v15 = v2 - v10
  v3 = v10 * -0.015436450019478798
  v4 = m - v3
  m = interp(v2, v4, 0.9997451305389404)
  v5 = square(v10)
  v = interp(v5, v, 0.996434211730957)
  v13 = v * v5
  v9 = sqrt(v13)
  v = interp(v9, v, 0.8210418224334717)
  v6 = sqrt(v)
  v7 = m / v6
  update = v7 * lr
  return update, m, v
