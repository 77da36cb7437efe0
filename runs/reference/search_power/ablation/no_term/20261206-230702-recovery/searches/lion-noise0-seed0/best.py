"""Best program so far: candidate 18041, fitness 0.991318 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v12 = g + w
  v9 = interp(-0.5478005409240723, w, 1.0048147439956665)
  m = interp(v, m, 0.9000212550163269)
  v4 = interp(m, m, m)
  v13 = cube(m)
  v11 = clip(v13, m)
  v10 = v11 + -0.042412396520376205
  v4 = v11 - 0.0005406005657278001
  v7 = interp(v9, 1388238.375, g)
  v = interp(v7, v4, 0.9000735878944397)
  v6 = g * m
  v2 = tanh(v)
  v14 = norm(lr)
  v15 = abs(v14)
  update = v2 * lr
  update = 0.9971810579299927 * update
  return update, m, v
