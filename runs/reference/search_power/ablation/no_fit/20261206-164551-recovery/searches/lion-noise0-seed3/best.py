"""Best program so far: candidate 56593, fitness 0.966363 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v14 = m * 0.08087068051099777
  v15 = g + v14
  v7 = v15 * v15
  v13 = v15 * 0.4066440761089325
  v5 = v13 * 0.20035229623317719
  v6 = v + v5
  v = interp(v15, v6, 0.9819009304046631)
  v2 = v6 + g
  v1 = sign(v2)
  v4 = arctan(v)
  m = interp(v, m, 0.6229087114334106)
  v12 = global_norm(m)
  v8 = v12 + -2.4941823482513428
  v9 = w - v
  v10 = interp(lr, lr, v8)
  update = v1 * v10
  return update, m, v
