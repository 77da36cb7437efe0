"""Best program so far: candidate 4543, fitness 2.99736 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9000030159950256)
  v2 = m / 1.0526337623596191
  v3 = m - m
  v7 = square(g)
  v15 = m + v7
  v8 = sqrt(v15)
  m = interp(v8, m, 0.9999988079071045)
  v9 = v / m
  v4 = v9 * 2.384184335824102e-05
  v12 = abs(g)
  m = interp(v12, v2, 0.9999988675117493)
  v16 = -8102506496.0 - m
  v13 = clip(v3, g)
  v5 = v13 + v4
  v6 = tanh(v5)
  update = v6 * lr
  return update, m, v
