"""Best program so far: candidate 14633, fitness 1.06131 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = abs(m)
  m = interp(g, m, 0.9900141358375549)
  v1 = tanh(g)
  v = interp(m, w, 1.0918842219265201e-11)
  v = interp(g, v, 0.9091933965682983)
  v14 = v7 - m
  v8 = v1 / -18.318666458129883
  v15 = interp(v8, 0.0064305467531085014, w)
  v2 = invert(v15)
  v9 = square(g)
  v10 = abs(v)
  v13 = abs(lr)
  v11 = lr / v10
  v3 = v11 / v2
  v5 = 1.1184954643249512 * g
  update = v * v3
  return update, m, v
