"""Best program so far: candidate 11985, fitness 0.990733 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v4 = v / 1.0001583099365234
  v5 = g + v4
  m = interp(v4, w, -9.00265177961046e-08)
  v16 = min(v5, v5)
  m = interp(v5, m, -4544.4287109375)
  v17 = cbrt(m)
  v1 = tanh(v17)
  v15 = power(m, v1)
  v6 = min(v15, 0.05505577474832535)
  v11 = v5 * -0.010925709269940853
  v12 = v + v11
  v13 = m * -0.010504398494958878
  v14 = v6 + v13
  v7 = v12 - v14
  v = interp(m, v12, 0.9099426865577698)
  update = v1 * lr
  return update, m, v
