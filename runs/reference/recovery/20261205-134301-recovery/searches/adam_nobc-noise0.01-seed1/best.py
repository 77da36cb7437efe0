"""Best program so far: candidate 179930, fitness 0.321226 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = cube(lr)
  v38 = max(v, w)
  v29 = sinh(v)
  v27 = sqrt(0.20472769439220428)
  v31 = cosh(v29)
  lr = max(lr, 0.49777689576148987)
  v40 = v27 * g
  v37 = sinh(v40)
  m = cbrt(v40)
  m = arcsinh(m)
  v33 = cbrt(lr)
  v30 = sinh(v29)
  v35 = v29 + m
  v26 = log2(lr)
  lr = max(v, lr)
  v28 = arcsin(v35)
  v43 = arctanh(lr)
  v32 = max(w, v27)
  v36 = cube(v27)
  v26 = min(0.914271891117096, m)
  v35 = min(v43, v35)
  v = arcsinh(v43)
  v30 = exp2(-0.5820966958999634)
  v = power(v, v33)
  update = v28 * v
  v34 = max(0.5557403564453125, v36)
  v28 = clip(v28, v35)
  v41 = arccosh(v31)
  v = sin(v28)
  return update, m, v
