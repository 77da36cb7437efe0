"""Best program so far: candidate 11210, fitness 1.317 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = m * -0.3227492570877075
  v17 = log1p(m)
  v14 = cbrt(m)
  v18 = arctan(g)
  v7 = v18 + v14
  v1 = arcsin(v7)
  v15 = v * 0.5626829862594604
  v16 = g + v15
  v = interp(v16, v, 0.7731882929801941)
  v4 = m * -0.016012774780392647
  v11 = m * -0.014142188243567944
  v12 = v4 + v11
  v9 = v - v7
  v5 = m - v9
  v13 = sign(v)
  update = v13 * lr
  return update, m, v
