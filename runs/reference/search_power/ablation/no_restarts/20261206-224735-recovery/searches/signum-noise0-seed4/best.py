"""Best program so far: candidate 325, fitness 2.00849 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = min(v, 0.010488278232514858)
  m = interp(g, m, 0.8997983932495117)
  v8 = cube(m)
  v4 = v8 / v3
  v2 = arcsin(v4)
  m = interp(v2, m, 0.9999105930328369)
  v5 = abs(m)
  v = interp(v5, v, 1.2922050700581167e-05)
  v6 = m / v
  update = v6 * lr
  return update, m, v
