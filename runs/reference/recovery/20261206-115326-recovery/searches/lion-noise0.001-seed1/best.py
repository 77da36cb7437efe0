"""Best program so far: candidate 2307, fitness 3.00151 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = sqrt(g)
  v9 = g * -0.26305070519447327
  v10 = v1 + v9
  v14 = arcsin(v)
  v4 = v14 / -10949529600.0
  v5 = g - v14
  m = interp(v5, m, 0.9900073409080505)
  v7 = v5 * 0.09993714839220047
  v8 = m + v7
  v12 = v4 * -0.9926706552505493
  v13 = v / v
  v2 = v8 / v14
  v11 = tanh(v2)
  v15 = w * 0.0999997928738594
  v16 = v11 + v15
  update = v16 * lr
  return update, m, v
