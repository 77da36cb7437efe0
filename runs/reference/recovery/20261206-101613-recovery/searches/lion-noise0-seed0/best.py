"""Best program so far: candidate 2281, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = m * 66126901248.0
  v15 = arctanh(m)
  v11 = v7 + v15
  v8 = v7 + v11
  v = interp(g, v8, 6.828271455205925e-12)
  v9 = m * -0.0033122566528618336
  v10 = v + v9
  m = interp(v10, m, 0.9003538489341736)
  v5 = m * 8.222676277160645
  v6 = v + v5
  v1 = expm1(v)
  v12 = w * 0.10000000149011612
  v = cube(m)
  v14 = sign(v1)
  v13 = v14 + v12
  update = v13 * lr
  return update, m, v
