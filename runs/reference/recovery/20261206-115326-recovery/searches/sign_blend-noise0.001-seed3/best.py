"""Best program so far: candidate 425, fitness 2.96851 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(g)
  v4 = sqrt(m)
  v9 = cbrt(v2)
  m = interp(v9, v4, -0.0017276417929679155)
  v5 = g * 258.912109375
  v8 = square(m)
  v6 = v8 + v5
  v = interp(v6, v, 0.799926221370697)
  v = interp(v, v, 0.03655632212758064)
  m = interp(v, m, 0.9980684518814087)
  update = m * lr
  return update, m, v
