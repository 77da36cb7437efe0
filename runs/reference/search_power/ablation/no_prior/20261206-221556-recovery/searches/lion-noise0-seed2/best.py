"""Best program so far: candidate 4372, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = -0.00010295375977875665 + g
  v5 = g * 7425.498046875
  v6 = v + v5
  v12 = power(-0.3363693952560425, g)
  v7 = clip_by_global_norm(v12, 0.06443279981613159)
  v8 = v6 + v1
  m = interp(v8, m, 0.9836146831512451)
  v = interp(v5, v6, 0.9900132417678833)
  v9 = g * 73527.4375
  v10 = v + v9
  v11 = cube(v10)
  v2 = tanh(v11)
  v13 = w * 0.10000000149011612
  v14 = v2 + v13
  update = v14 * lr
  return update, m, v
