"""Best program so far: candidate 1734, fitness 2.99946 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.899999737739563)
  v8 = g * -1.0000046491622925
  v9 = v + v8
  v2 = square(v9)
  m = interp(v2, m, 0.9990000128746033)
  v3 = sqrt(m)
  v4 = v / v3
  v6 = g * 5.488768124450871e-07
  v7 = v4 + v6
  update = v7 * lr
  return update, m, v
