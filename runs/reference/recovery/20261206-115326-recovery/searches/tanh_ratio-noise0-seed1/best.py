"""Best program so far: candidate 6769, fitness 1.02008 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = m * 0.710530698299408
  v8 = g + v7
  v1 = abs(v8)
  v5 = v1 * -0.022895123809576035
  v9 = v8 * 0.0007285245810635388
  v10 = v + v9
  v6 = v10 + v5
  v11 = m * -0.02254902943968773
  v15 = v1 - v5
  v12 = v15 + v11
  v = interp(v12, v6, 0.9063686728477478)
  m = interp(g, m, 0.9029904007911682)
  v13 = v12 * 0.022981107234954834
  v14 = v + v13
  v2 = m / v14
  update = v2 * lr
  return update, m, v
