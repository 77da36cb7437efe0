"""Best program so far: candidate 10096, fitness 0.487063 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = arctanh(g)
  v = interp(v1, v, 0.9886519312858582)
  v2 = abs(v)
  v13 = v2 * -0.14553788304328918
  v14 = v + v
  v3 = v14 + g
  v5 = square(v3)
  v9 = max(v, 0.3933514952659607)
  v15 = cosh(v9)
  v10 = dot(v13, v9)
  m = interp(v5, v10, 8.37173729451024e-07)
  v11 = v3 * -0.001034034532494843
  v12 = m - v13
  v6 = sqrt(v12)
  v7 = v3 / v6
  update = v7 * lr
  return update, m, v
