"""Best program so far: candidate 446, fitness 3.0033 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = cbrt(g)
  v3 = norm(lr)
  v4 = sign(v2)
  v7 = g * 14.9973726272583
  v8 = m + v7
  v10 = m * -29.99437141418457
  v11 = v8 + v10
  v = interp(v11, v, -4.48701684945263e-05)
  m = interp(v, m, 0.9933321475982666)
  v6 = m + v4
  update = v6 * v3
  update = update * 0.9999959468841553
  return update, m, v
