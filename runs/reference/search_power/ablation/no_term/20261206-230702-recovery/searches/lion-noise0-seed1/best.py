"""Best program so far: candidate 3024, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9900043606758118)
  v4 = v + g
  v12 = square(m)
  v13 = sqrt(v)
  v9 = interp(v13, v4, 0.9999213218688965)
  v5 = interp(v9, g, -8.996910095214844)
  v10 = square(m)
  v11 = sign(v5)
  v15 = w + 7.709221705454183e-09
  m = interp(v11, v15, 0.09090909361839294)
  v6 = interp(m, -2.540836163689164e-08, 1.0)
  v16 = v12 * v6
  v1 = tanh(v16)
  v2 = interp(v, m, 4.4621597083960296e-08)
  m = interp(v1, m, 1.100000023841858)
  update = m * lr
  return update, m, v
