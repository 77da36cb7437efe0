"""Best program so far: candidate 2232, fitness 1.01956 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = sin(m)
  v8 = m * -2407.08251953125
  v9 = m - g
  v10 = v1 * -0.2607710361480713
  v11 = v9 + v10
  v14 = v8 / 2252.343017578125
  v15 = v11 + v14
  m = interp(v15, m, 0.9267128705978394)
  v3 = abs(v9)
  v = interp(v3, v, 0.9060445427894592)
  v6 = v * -1.5990915298461914
  v12 = v3 * -0.01825927197933197
  v13 = v6 + v12
  v7 = v + v13
  v4 = m / v7
  update = v4 * lr
  return update, m, v
