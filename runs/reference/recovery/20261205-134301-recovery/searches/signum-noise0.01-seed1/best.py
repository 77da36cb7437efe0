"""Best program so far: candidate 90531, fitness 0.296046 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v46 = max(g, m)
  v38 = cos(v)
  v38 = sqrt(v38)
  v28 = sinh(v38)
  v40 = sign(v46)
  v32 = cube(v)
  v39 = arcsin(v32)
  v36 = tan(v28)
  v37 = global_norm(v36)
  v = sinh(v)
  v34 = sinh(lr)
  v45 = invert(w)
  v30 = interp(v34, v36, 0.1530684530735016)
  v26 = exp2(v39)
  v38 = arcsinh(v26)
  m = min(v39, v45)
  v41 = pi()
  v44 = max(v26, v40)
  v20 = min(v, v)
  v = cos(v44)
  v27 = cosh(v)
  v36 = sinh(-0.3331075608730316)
  v9 = g + v20
  v20 = square(v28)
  v1 = tanh(v9)
  v = interp(2.509321743449089e-12, v27, v1)
  update = v1 * v30
  return update, m, v
