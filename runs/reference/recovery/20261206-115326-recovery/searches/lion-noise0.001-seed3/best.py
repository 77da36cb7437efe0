"""Best program so far: candidate 1853, fitness 2.99865 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v13 = w / 0.0004982635728083551
  v14 = v + v13
  v = g + g
  v5 = 0.000270778255071491 + g
  v6 = g * -0.15093033015727997
  v7 = v5 + v6
  v8 = m + g
  v7 = cosine_sim(v8, g)
  v2 = sign(v8)
  v3 = abs(g)
  v9 = v8 * -9.800472980714403e-06
  v10 = v6 + v9
  v = interp(m, v, 0.041204798966646194)
  m = interp(v10, v, 1.0325427055358887)
  v = interp(v13, v2, 0.9999501705169678)
  update = v * lr
  return update, m, v
