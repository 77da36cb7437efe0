"""Best program so far: candidate 6582, fitness 1.99956 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, v, 5.940051778452471e-06)
  v9 = clip_by_global_norm(g, 0.12199286371469498)
  v10 = m + v9
  v4 = square(v10)
  v15 = cube(g)
  v13 = v15 * -8.963252753346751e-07
  v14 = v + v13
  v = interp(v4, v14, 0.9000074863433838)
  v11 = v10 / -0.888412356376648
  v12 = g + v11
  v7 = v12 * -4.415523108036723e-06
  v8 = v + v7
  v5 = sqrt(v8)
  v2 = g / v5
  update = v2 * lr
  return update, m, v
