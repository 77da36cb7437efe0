"""Best program so far: candidate 2065, fitness 5.27148 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = tanh(g)
  v9 = arctan(m)
  m = interp(g, m, 0.8999961614608765)
  v10 = g * -9.60892165835503e-09
  v11 = m * v10
  v4 = square(v11)
  v7 = v1 + 0.031548622995615005
  v12 = w / -2090758.125
  v13 = v10 * v12
  v8 = m + v13
  v = interp(v11, g, -1.0197969855726963e-12)
  v14 = v8 * -1.0000053644180298
  v15 = v - v14
  v5 = abs(v15)
  v2 = lr / v5
  update = v8 * v2
  return update, m, v
