"""Best program so far: candidate 72033, fitness 0.119033 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = expm1(m)
  m = expm1(m)
  v38 = cube(g)
  v27 = exp(v)
  v29 = tan(v)
  lr = min(w, m)
  v30 = log10(m)
  v35 = max(v38, v29)
  v37 = cube(w)
  v34 = log2(v35)
  v33 = sign(v38)
  v39 = global_norm(v34)
  m = power(v, v30)
  m = clip(lr, m)
  v = v33 + -0.18095093965530396
  v35 = arcsinh(v35)
  v25 = sign(v)
  lr = arcsin(v27)
  v15 = global_norm(m)
  v38 = min(v35, v35)
  v36 = v + v38
  v30 = interp(v25, lr, -0.045373596251010895)
  v38 = clip(v, v37)
  v31 = arctanh(v30)
  v = lr - v15
  v42 = max(-6.984308418638072e-32, v36)
  update = v42 * v
  update = sqrt(update)
  v = cube(v31)
  return update, m, v
