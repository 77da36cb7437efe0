"""Best program so far: candidate 51020, fitness 2.85965 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = w * -0.025863679125905037
  v15 = arcsinh(v)
  v13 = m / -0.03330399841070175
  v14 = g + m
  v4 = g + g
  v5 = v * 0.6655481457710266
  v6 = g + v5
  v7 = g * 0.12273869663476944
  v9 = v6 * 0.028766952455043793
  v10 = v6 + v9
  v8 = v10 + v7
  v11 = m / 0.529285728931427
  v12 = v8 - v11
  v2 = v8 + v4
  v = interp(v2, v, 0.6820247173309326)
  update = v * lr
  return update, m, v
