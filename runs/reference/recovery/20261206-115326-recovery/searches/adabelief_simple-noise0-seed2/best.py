"""Best program so far: candidate 4234, fitness 1.62127 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, v, 0.9989348649978638)
  v2 = sqrt(v)
  m = interp(g, m, 0.8993831872940063)
  v11 = negative(v1)
  v9 = m * 737.037109375
  v12 = square(m)
  v = interp(v12, v, 1.0011814832687378)
  v13 = tan(v)
  v15 = v + 0.0931255891919136
  v10 = v15 + v9
  v6 = v10 * -5.8563484344631433e-05
  v8 = power(v6, 1.006393313407898)
  v7 = v2 - v8
  v3 = m / v7
  update = v3 * lr
  return update, m, v
