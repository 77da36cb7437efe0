"""Best program so far: candidate 2425, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = sign(-1.0159694126047789e-40)
  v13 = m / 1.4773935079574585
  v14 = v13 + g
  m = interp(v14, m, -321932.3125)
  v2 = invert(g)
  v8 = v / 1.1111286878585815
  v9 = g + v
  v15 = expm1(v)
  v3 = sign(v)
  v7 = log2(v2)
  v5 = abs(v7)
  v10 = sign(v)
  m = interp(v, m, 0.097872793674469)
  v = interp(g, v8, 0.9999998211860657)
  v11 = sign(v)
  update = v11 * lr
  return update, m, v
