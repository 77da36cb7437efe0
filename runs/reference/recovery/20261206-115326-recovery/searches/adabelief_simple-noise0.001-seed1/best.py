"""Best program so far: candidate 4833, fitness 1.06124 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = square(g)
  v = interp(v10, v, 0.9992350935935974)
  v11 = sqrt(v)
  v15 = sign(g)
  v12 = v15 - v11
  v1 = sign(v10)
  v7 = g / 9.931300163269043
  v8 = m + v7
  m = interp(g, m, 0.9059858322143555)
  v12 = negative(v)
  v2 = v8 / v11
  v14 = v2 * v
  v5 = v14 * -4.4155531213618815e-05
  v16 = norm(v5)
  v6 = v2 + v16
  update = v6 * lr
  return update, m, v
