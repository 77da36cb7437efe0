"""Best program so far: candidate 6290, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = m * -8.998787879943848
  v10 = g - v9
  v1 = abs(v10)
  v7 = v1 * 1.0166746730513182e-14
  v8 = v + v7
  v = interp(v, v8, 1.9590193911511733e-09)
  v2 = sqrt(v)
  v5 = v * 1.7369697093963623
  v12 = v1 * 0.10001212358474731
  v13 = max(v5, v12)
  v6 = v2 + v13
  m = interp(g, m, 0.8999878764152527)
  v14 = v13 * 0.5505232810974121
  v15 = v6 + v7
  v3 = m / v15
  update = v3 * lr
  return update, m, v
