"""Best program so far: candidate 7336, fitness 1.99933 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = cube(w)
  v = interp(g, v, 0.8999727368354797)
  v5 = v1 * 1.021186380967265e-05
  v7 = abs(g)
  m = interp(v7, m, 0.9499734044075012)
  v8 = v / m
  v15 = interp(v8, -0.5755407214164734, -0.00015990057727321982)
  v6 = v15 + v5
  v12 = tan(m)
  v10 = v12 * 3.537104930728674e-05
  v16 = arcsin(v10)
  v11 = v6 - v16
  v3 = tanh(v11)
  v13 = clip(v6, -4.866782182944007e-05)
  v14 = v3 + v16
  update = v3 * lr
  return update, m, v
