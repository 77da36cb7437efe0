"""Best program so far: candidate 325, fitness 1.85517 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = min(v, 0.01047071348875761)
  m = interp(g, m, 0.8997983932495117)
  v8 = cube(m)
  v4 = v8 / v3
  v2 = arcsin(v4)
  m = interp(v2, m, 0.9999111890792847)
  v5 = abs(m)
  v = interp(v5, v, 1.2922050700581167e-05)
  v6 = m / v
  update = v6 * lr
  return update, m, v
