"""Best program so far: candidate 3571, fitness 0.390303 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.9855881929397583)
  v15 = m * 17.034391403198242
  v16 = g + v15
  v1 = abs(v16)
  v5 = square(m)
  v6 = arcsinh(v)
  v10 = v1 * 0.010793746449053288
  v11 = m - v
  v12 = arctanh(v1)
  v8 = v1 + 0.9143967032432556
  v9 = m + v8
  v2 = sqrt(v9)
  v3 = lr / v8
  v13 = v11 / 0.23752820491790771
  v14 = g + v16
  update = v14 * v3
  return update, m, v
