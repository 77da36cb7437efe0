"""Best program so far: candidate 3076, fitness 1.18486 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9041134119033813)
  v4 = arcsinh(v)
  v11 = m * -0.0008239711169153452
  v12 = v4 + v11
  v1 = arctan(v12)
  v2 = abs(lr)
  v5 = abs(g)
  m = interp(v5, m, 0.947222888469696)
  v6 = tanh(m)
  v9 = clip(v1, -6.42431905362173e-06)
  v10 = v4 + v11
  v13 = clip(m, 2.995432374364171e-11)
  v14 = v6 + v13
  v7 = v10 / v14
  v15 = tanh(v7)
  update = v15 * v2
  return update, m, v
