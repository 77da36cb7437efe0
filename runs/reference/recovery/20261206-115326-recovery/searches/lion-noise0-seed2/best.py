"""Best program so far: candidate 21583, fitness 1.60819 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = w * -509.0606384277344
  v2 = m + v1
  m = interp(g, m, 0.9900094866752625)
  v4 = interp(m, g, 0.1441200226545334)
  v13 = m * 0.586500883102417
  v14 = v4 + v13
  v3 = cbrt(v14)
  v6 = abs(v3)
  v = interp(v6, v, 0.0007385006756521761)
  v12 = v2 + v6
  v11 = v3 * v12
  v9 = v11 * -0.00018327892757952213
  v10 = v - v9
  v7 = v3 / v10
  update = v7 * lr
  return update, m, v
