"""Best program so far: candidate 524, fitness 3.00172 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = v / 1797.35693359375
  m = interp(g, m, 0.8999918103218079)
  v8 = arcsin(m)
  v4 = v8 + v3
  v2 = arcsin(v4)
  m = interp(v2, m, 1.0)
  v5 = abs(m)
  v = interp(v5, v3, 1.263098994286338e-07)
  v6 = m / v
  update = v6 * lr
  return update, m, v
