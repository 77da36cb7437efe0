"""Best program so far: candidate 2199, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = global_norm(w)
  v = interp(g, v, 0.8999999761581421)
  v16 = interp(v1, 88.0183334350586, g)
  v5 = clip_by_global_norm(v16, -1.5262486385836382e-08)
  v7 = abs(g)
  m = interp(v7, m, 0.949999988079071)
  v8 = v / m
  v15 = v8 / 1.0
  v6 = v15 - v5
  v12 = arctanh(v6)
  v10 = v12 * 2.602489557190779e-09
  v11 = v6 - v10
  v3 = tanh(v11)
  v13 = v15 * 2.9012889868340608e-09
  v14 = v3 - v13
  update = v14 * lr
  return update, m, v
