"""Best program so far: candidate 126878, fitness 0.259131 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = arctan(g)
  v31 = sqrt(g)
  m = sinh(m)
  v44 = log2(w)
  v42 = tan(lr)
  lr = g + v
  v33 = clip(v42, w)
  v = cbrt(v)
  v35 = log2(0.02333253063261509)
  v39 = interp(v42, lr, 0.2073681354522705)
  v30 = v39 / m
  v32 = max(v, v39)
  v28 = abs(v30)
  v34 = tanh(v32)
  v45 = min(v35, v42)
  v45 = cosh(v33)
  v29 = v35 * lr
  m = arcsinh(lr)
  v30 = -0.2549315392971039 * v29
  v38 = min(v32, v28)
  v43 = m - v45
  v41 = arccosh(v38)
  v = arctan(v30)
  v4 = norm(v41)
  v5 = invert(v4)
  lr = clip(v4, v5)
  update = v * lr
  return update, m, v
