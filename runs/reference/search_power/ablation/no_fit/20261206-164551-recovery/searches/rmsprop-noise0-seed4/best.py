"""Best program so far: candidate 43632, fitness 3.13053 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  m = interp(v1, m, 0.9024029970169067)
  v5 = abs(m)
  v6 = m * 0.7739208340644836
  v15 = tanh(m)
  v8 = m * 0.024435339495539665
  v10 = arcsinh(v8)
  v = interp(v8, v, 0.9298167824745178)
  v9 = v6 - v8
  v12 = abs(v9)
  v7 = m + v8
  v13 = v * 0.021009838208556175
  v14 = v7 - v
  v2 = sqrt(v14)
  v3 = g / v2
  update = v3 * lr
  return update, m, v
