"""Best program so far: candidate 3327, fitness 1.9995 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9000033140182495)
  v4 = arcsinh(v)
  v11 = m * 6.012555968482047e-05
  v12 = v4 + v11
  v1 = arctan(v12)
  v2 = abs(lr)
  v5 = abs(g)
  m = interp(v5, m, 0.9500014781951904)
  v6 = arctan(v11)
  v9 = clip(v1, -6.42431905362173e-06)
  v10 = v4 - v11
  v13 = m - -1.5806822375452612e-06
  v14 = v6 + v13
  v7 = v / v14
  v15 = tanh(v7)
  update = v15 * v2
  return update, m, v
