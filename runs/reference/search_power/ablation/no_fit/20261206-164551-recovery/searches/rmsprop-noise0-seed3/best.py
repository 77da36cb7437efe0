"""Best program so far: candidate 44084, fitness 2.51379 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v4 = g * -0.4087408483028412
  v10 = v4 * -0.7011264562606812
  v11 = v1 + v10
  v12 = v1 * 0.36880970001220703
  v13 = v11 + v12
  v5 = v13 + v4
  v2 = g / v
  v6 = square(v2)
  m = interp(v6, m, 0.8991040587425232)
  v7 = sqrt(m)
  v8 = v2 / v7
  update = v8 * lr
  return update, m, v
