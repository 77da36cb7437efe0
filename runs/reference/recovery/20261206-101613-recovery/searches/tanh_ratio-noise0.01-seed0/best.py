"""Best program so far: candidate 2694, fitness 0.894544 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9013970494270325)
  v4 = arcsinh(v)
  v11 = m * 0.002190928440541029
  v12 = v4 + v11
  v1 = arctan(v12)
  v2 = abs(lr)
  v5 = square(g)
  m = interp(v5, m, 0.9614517688751221)
  v6 = tanh(m)
  v9 = w * 1.0523057704281045e-15
  v10 = v4 + v9
  v13 = m / -135347.078125
  v14 = v6 - v13
  v7 = v10 / v14
  v15 = tanh(v7)
  update = v15 * v2
  return update, m, v
