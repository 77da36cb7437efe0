"""Best program so far: candidate 7162, fitness 2.00155 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v8 = m * 1944.6348876953125
  v9 = v + v8
  v6 = v9 * -6.279544351173172e-08
  v7 = g + v6
  m = interp(v7, m, 0.9000084400177002)
  v2 = lr / 1.0000063180923462
  v10 = m * -0.000492382503580302
  v11 = g + v10
  v14 = sign(v)
  v12 = v6 / -4.895205725988454e+16
  v13 = v11 - v12
  v3 = abs(v13)
  v = interp(v3, v, 0.950002908706665)
  v4 = m / v
  v15 = tanh(v4)
  update = v15 * v2
  return update, m, v
