"""Best program so far: candidate 737, fitness 4.00276 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = w * -4.577288737886708e-21
  v14 = g * -0.9997747540473938
  v15 = v2 + v14
  v3 = g + v15
  v1 = arcsinh(v3)
  v11 = v3 * -1.2790196679546284e-09
  v12 = v2 + v11
  v8 = v12 * 1.120714783668518
  v10 = abs(v8)
  v10 = negative(5.386133206108923e-10)
  v9 = v1 + m
  v4 = square(v9)
  v = interp(v4, v, 0.9000003337860107)
  v5 = sqrt(v)
  v6 = v1 / v5
  update = v6 * lr
  return update, m, v
