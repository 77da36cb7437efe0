"""Best program so far: candidate 417, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = m * -4.963129997253418
  v8 = m / 0.3278011083602905
  v10 = v6 * -1.5668523190015549e-07
  v12 = abs(v10)
  m = interp(v12, m, 1.0125000476837158)
  v11 = v8 + m
  v9 = v6 + v11
  v7 = g + v9
  v1 = square(v7)
  v = interp(v1, v, 0.9990000128746033)
  v2 = sqrt(v)
  m = interp(g, m, 0.8888888359069824)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
