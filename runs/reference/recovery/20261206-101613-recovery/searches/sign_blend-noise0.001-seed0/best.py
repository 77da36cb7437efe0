"""Best program so far: candidate 2928, fitness 2.9995 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = min(g, w)
  v13 = v15 * -2.8372750282287598
  v14 = m + v13
  m = interp(g, v14, 3.423361505383582e-08)
  v1 = abs(m)
  v4 = sqrt(m)
  v8 = sinh(v)
  m = interp(v1, w, 3.000831583221952e-08)
  v2 = g / m
  v11 = v2 * 7.384112541330978e-05
  v12 = g + v11
  v6 = v12 * 0.49997809529304504
  v = interp(v6, v, 0.7999955415725708)
  m = interp(v2, m, 3.742673925444251e-06)
  v7 = m + v
  update = v7 * lr
  return update, m, v
