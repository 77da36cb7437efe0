"""Best program so far: candidate 854, fitness -0.0320644 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v12 = arctanh(lr)
  g2 = square(g)
  m = interp(g, m, 0.06050283834338188)
  v17 = min(0.8519643545150757, v12)
  v24 = arccosh(w)
  lr = sign(v12)
  v = interp(g2, v, 0.999)
  v12 = exp(g)
  v27 = invert(v24)
  v12 = cos(g)
  v25 = arcsin(0.20946665108203888)
  sqrt_v = sqrt(v)
  v15 = abs(v12)
  g2 = eps()
  update = m / sqrt_v
  wd = w * -0.5665872693061829
  v9 = sign(g2)
  update = update + update
  lr = v9 * 0.001
  update = update * lr
  v20 = norm(0.34663936495780945)
  v26 = pi()
  v22 = sinh(v15)
  v9 = tanh(v12)
  v10 = clip(g, v15)
  return update, m, v
