"""Best program so far: candidate 1063, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = log(w)
  v6 = v15 * -5.35780486643489e-08
  v7 = g + v6
  v8 = g / 61350.91015625
  v9 = v7 + v6
  v = interp(v8, v, 0.9000009894371033)
  m = interp(v8, v, 1.0)
  v2 = square(m)
  m = interp(v9, m, 0.9786861538887024)
  v11 = v * 0.0391840934753418
  v12 = m + m
  v3 = sqrt(v2)
  v4 = lr / v3
  v13 = lr * 1.1138572517666034e-06
  v14 = v4 + v13
  update = v * v14
  return update, m, v
