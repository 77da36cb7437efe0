"""Best program so far: candidate 771, fitness 3.00153 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = abs(g)
  v12 = w * -0.00522321742027998
  v13 = v + v12
  v7 = v13 + 0.01502781081944704
  v8 = v3 / v7
  v = interp(v8, v, 0.9999992847442627)
  m = interp(g, m, 0.8999955058097839)
  v4 = m / v
  v11 = sign(v4)
  v1 = v11 / 0.999997615814209
  v2 = m + v1
  v9 = v8 * -9.999542527339145e-09
  v10 = v1 + v9
  update = v10 * lr
  return update, m, v
