"""Best program so far: candidate 66977, fitness 0.960092 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = abs(g)
  v = interp(g, v, 0.9901561141014099)
  v6 = g * 0.12698234617710114
  v7 = v + v6
  v8 = v + v7
  v9 = v6 * 0.552097499370575
  v10 = v8 + v9
  v12 = sign(v10)
  v4 = arcsin(v7)
  v13 = m * v8
  v11 = arccosh(v13)
  v3 = v4 / v11
  v14 = v11 / -0.00706179765984416
  v15 = v4 / v14
  v1 = sign(v10)
  update = v1 * lr
  return update, m, v
