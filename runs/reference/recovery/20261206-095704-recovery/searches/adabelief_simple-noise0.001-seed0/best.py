"""Best program so far: candidate 839, fitness 0.716808 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v11 = arcsinh(w)
  v12 = 163.48912048339844 - v11
  v7 = g / 3226.163330078125
  v8 = g + v7
  v9 = m * -0.16794046759605408
  v10 = v8 + v9
  v1 = abs(v10)
  v14 = v7 * -113.44862365722656
  v15 = max(v, v14)
  v = interp(v1, v15, 0.9174017310142517)
  v13 = lr * 0.5050989985466003
  v2 = v13 / v
  v5 = m * 0.8897309303283691
  v6 = g + v5
  m = interp(v6, m, 0.1482037901878357)
  update = m * v2
  return update, m, v
