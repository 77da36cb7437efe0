"""Best program so far: candidate 6946, fitness 0.986573 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = log1p(w)
  v1 = negative(v2)
  v9 = w / 0.0017591844080016017
  v10 = v1 + g
  v7 = clip(v10, 27723182.0)
  v14 = clip(w, -4.711674690246582)
  v15 = v2 + g
  v8 = v2 + v7
  v = interp(g, v, 0.9900104403495789)
  v4 = g * 0.0999072715640068
  v5 = v + v4
  v6 = cbrt(v5)
  v11 = abs(v6)
  m = interp(v11, v1, 0.00043694867054000497)
  v12 = v6 / m
  update = v12 * lr
  return update, m, v
