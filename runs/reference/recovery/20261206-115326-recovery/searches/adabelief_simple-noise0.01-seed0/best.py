"""Best program so far: candidate 3496, fitness 1.3632 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999479413032532)
  v13 = g - -3.696084149851231e-06
  v14 = v * 1.1051949262619019
  v15 = v13 - v14
  v2 = abs(v15)
  v7 = abs(g)
  v5 = v2 * -0.05071736499667168
  v9 = v7 * 0.0027610037941485643
  v10 = v5 + v9
  v6 = m + v10
  v11 = abs(v6)
  m = interp(v11, m, 0.7490600347518921)
  v8 = abs(m)
  m = interp(v2, v8, 0.9805709719657898)
  v3 = v / m
  update = v3 * lr
  return update, m, v
