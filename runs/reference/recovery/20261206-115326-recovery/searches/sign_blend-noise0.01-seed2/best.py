"""Best program so far: candidate 2901, fitness 2.00334 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = cbrt(g)
  v3 = norm(lr)
  v4 = sign(v2)
  m = interp(v, m, 1.001725196838379)
  v7 = m * 4.205151557922363
  m = interp(v7, g, 0.8100140690803528)
  v13 = v7 * 0.00047727656783536077
  v15 = v13 - 0.00023117144883144647
  v14 = m - v15
  v8 = v4 + v14
  v9 = v * -6.088089942932129
  v10 = v8 + v9
  v = interp(v10, v, 0.8590802550315857)
  v6 = v + v4
  update = v6 * v3
  update = update / 1.140970230102539
  return update, m, v
