"""Best program so far: candidate 3722, fitness 2.98569 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9000112414360046)
  v2 = m * 0.9499714970588684
  v3 = m * m
  v7 = square(g)
  v15 = m + v7
  v8 = sqrt(v15)
  m = interp(v8, m, 0.9999938011169434)
  v9 = v / m
  v4 = v9 * 0.00012417836114764214
  v12 = abs(g)
  m = interp(v12, v2, 0.9999940991401672)
  v16 = -34.949790954589844 - m
  v13 = v3 / v16
  v5 = v13 + v4
  v6 = tanh(v5)
  update = v6 * lr
  return update, m, v
