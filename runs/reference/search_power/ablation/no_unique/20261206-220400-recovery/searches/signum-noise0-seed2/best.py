"""Best program so far: candidate 1403, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v13 = min(0.914712131023407, m)
  v9 = m * 0.999751091003418
  v18 = sign(g)
  v10 = v18 + m
  v14 = interp(v10, w, -0.8552117943763733)
  v16 = g * 198132.453125
  v17 = v + v16
  v = interp(m, v17, 0.9000009298324585)
  v15 = -0.543647825717926 + 0.8199921250343323
  v1 = tanh(v)
  v4 = m * 4.2643989672797034e-08
  v5 = v1 + v4
  update = v5 * lr
  v11 = arccosh(lr)
  return update, m, v
