"""Best program so far: candidate 1793, fitness 3.00329 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999922871589661)
  v = interp(v, v, 0.995009183883667)
  m = interp(g, v, 0.9000113010406494)
  v1 = cbrt(m)
  v6 = v1 * -0.000433499546488747
  v7 = m + v6
  v4 = sign(v7)
  v10 = m * -4.513238991421531e-07
  v12 = w * -47.14322280883789
  v14 = v10 * 0.003558957949280739
  v13 = v14 + v12
  v11 = v6 + v13
  v8 = v11 * -0.002121181692928076
  v9 = v4 + v8
  update = v9 * lr
  return update, m, v
