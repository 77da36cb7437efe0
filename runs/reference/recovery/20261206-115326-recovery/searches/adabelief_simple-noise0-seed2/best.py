"""Best program so far: candidate 2620, fitness 1.61557 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.9989324808120728)
  v2 = sqrt(v)
  m = interp(g, m, 0.8995071649551392)
  v11 = negative(v1)
  v9 = m * 723.5781860351562
  v12 = square(m)
  v = interp(v12, v, 1.001183271408081)
  v13 = tan(v)
  v15 = v2 / 0.027188671752810478
  v10 = v15 + v9
  v6 = v10 * -6.00393395870924e-05
  v8 = power(v6, 1.0036115646362305)
  v7 = v2 - v8
  v3 = m / v7
  update = v3 * lr
  return update, m, v
