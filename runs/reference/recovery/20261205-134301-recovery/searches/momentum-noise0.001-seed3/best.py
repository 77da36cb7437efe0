"""Best program so far: candidate 200080, fitness 0.142473 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v33 = expm1(lr)
  v38 = interp(v33, m, m)
  v31 = tan(-0.40682825446128845)
  v36 = cbrt(lr)
  v41 = clip(v33, v)
  v29 = 0.9152249693870544 / v41
  v27 = exp2(v36)
  v33 = max(v41, v29)
  v34 = power(v27, m)
  v40 = sign(g)
  v27 = -0.3804316222667694 * v31
  v40 = v33 * v40
  v26 = arcsinh(v38)
  v39 = sign(-0.20697245001792908)
  v30 = sinh(v41)
  v35 = cos(0.40417560935020447)
  v = log2(v34)
  v37 = power(lr, v36)
  v25 = v * v40
  v = square(v25)
  v27 = arctanh(v26)
  v32 = log1p(v25)
  m = interp(v37, m, v30)
  v32 = clip(v32, v27)
  lr = max(v37, v32)
  v24 = log1p(m)
  m = cube(lr)
  update = g * v24
  return update, m, v
