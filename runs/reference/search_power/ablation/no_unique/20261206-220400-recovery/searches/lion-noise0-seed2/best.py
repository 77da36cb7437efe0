"""Best program so far: candidate 3224, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v15 = log1p(1.1095013618469238)
  m = interp(v1, m, -0.014185825362801552)
  v1 = log(0.21030797064304352)
  v6 = interp(m, w, w)
  v5 = e()
  v6 = -0.060519807040691376 + v6
  v2 = sqrt(g)
  v3 = g / v2
  v = interp(g, v, 0.9900026321411133)
  v9 = w / 10.0
  v16 = v * 10.002086639404297
  v17 = g + v16
  v14 = sign(v17)
  v10 = v14 + v9
  update = v10 * lr
  return update, m, v
