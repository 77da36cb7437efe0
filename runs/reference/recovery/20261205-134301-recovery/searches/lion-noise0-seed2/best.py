"""Best program so far: candidate 139796, fitness 0.157436 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = arcsinh(lr)
  v28 = cbrt(g)
  v33 = log1p(v28)
  m = min(w, v)
  v28 = sqrt(v28)
  v35 = sinh(v33)
  v30 = square(-0.8027564287185669)
  lr = log(lr)
  v32 = arcsinh(m)
  v42 = v30 * v32
  v41 = v28 * v35
  v = min(0.21708525717258453, v28)
  v31 = tanh(lr)
  v28 = clip(v30, v42)
  v34 = exp(v28)
  v29 = cube(w)
  v40 = v / v34
  m = sin(v)
  v27 = v40 / v31
  v = exp10(v41)
  v27 = arcsinh(v27)
  v37 = cube(v)
  m = cosh(v37)
  v49 = invert(m)
  v40 = arcsinh(v49)
  v38 = clip(1.0850155353546143, v40)
  v38 = clip(v27, v38)
  update = sqrt(v38)
  v30 = expm1(v28)
  v = negative(v30)
  return update, m, v
