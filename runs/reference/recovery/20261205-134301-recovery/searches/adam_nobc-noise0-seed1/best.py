"""Best program so far: candidate 205726, fitness 0.293731 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v45 = arcsin(v)
  v42 = arcsinh(v45)
  v25 = arctanh(v45)
  lr = sinh(lr)
  v32 = cosh(v)
  v34 = clip(lr, g)
  v42 = interp(v42, v34, -0.004050287883728743)
  v24 = e()
  v27 = tanh(v42)
  v31 = eps()
  v30 = sqrt(0.5303425192832947)
  v41 = expm1(v45)
  v38 = cbrt(g)
  v47 = arctanh(v27)
  v34 = exp(1.1920950412750244)
  v42 = arcsinh(v47)
  v35 = v42 + v38
  v39 = arctan(v47)
  v23 = tan(lr)
  v47 = arctanh(1.2934801578521729)
  v44 = interp(v39, v35, 0.5055234432220459)
  v28 = arcsin(v44)
  update = v28 * v23
  v40 = abs(update)
  v = sin(v28)
  return update, m, v
