"""Best program so far: candidate 559, fitness 2.00331 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = lr / -1.0000056028366089
  v5 = abs(g)
  v6 = g / m
  v3 = v6 * -404098.75
  v8 = v6 * 4.1654607230157126e-06
  v9 = v + v8
  v11 = v6 * 0.10032600909471512
  v12 = v9 + v11
  v4 = v12 + v3
  v = interp(g, v4, 0.8999981880187988)
  v10 = sign(v)
  update = v10 * v1
  return update, m, v
