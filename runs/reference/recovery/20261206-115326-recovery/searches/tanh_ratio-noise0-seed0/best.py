"""Best program so far: candidate 6386, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = square(g)
  v15 = g + v10
  v14 = v - 9.46885791108798e-07
  v16 = arcsinh(v14)
  v11 = global_norm(v16)
  v12 = v / v11
  v2 = v * -5.781213285871445e-09
  v3 = g - v2
  v = interp(v3, v, 0.8999999761581421)
  v8 = v3 - -2.350672190232217e-08
  v9 = min(g, g)
  v4 = abs(v9)
  m = interp(v4, m, 0.949999988079071)
  v5 = v / m
  v17 = tanh(v5)
  update = v17 * lr
  return update, m, v
