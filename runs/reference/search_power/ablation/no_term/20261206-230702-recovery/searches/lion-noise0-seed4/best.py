"""Best program so far: candidate 11267, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = interp(v, -1.0469669103622437, v)
  v = interp(g, m, 0.9001178741455078)
  v1 = sign(v)
  v4 = invert(w)
  v5 = sin(v)
  v7 = square(m)
  v = interp(v7, v, 1.796400875275772e-11)
  v8 = sign(v7)
  v9 = v * v8
  v13 = arcsinh(m)
  v14 = square(v1)
  m = interp(g, m, 0.9900146722793579)
  v = interp(v1, v4, -0.111111119389534)
  v6 = cbrt(v)
  v16 = interp(v, 0.9999995231628418, 0.1000000536441803)
  update = v16 * lr
  return update, m, v
