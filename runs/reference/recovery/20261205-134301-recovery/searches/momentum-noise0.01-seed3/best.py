"""Best program so far: candidate 187107, fitness 0.15861 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v29 = sign(g)
  v29 = expm1(v29)
  v41 = log10(m)
  v44 = norm(g)
  v31 = log1p(m)
  v28 = cube(v29)
  v35 = arcsinh(lr)
  v38 = v28 + v29
  m = power(v31, v28)
  v37 = invert(v)
  lr = max(lr, v37)
  v34 = clip(v44, lr)
  v26 = expm1(v44)
  v27 = sqrt(w)
  v33 = cbrt(v44)
  v37 = tan(-0.43441155552864075)
  v43 = arctanh(v38)
  v36 = tan(v29)
  v = sinh(m)
  v42 = log2(v)
  m = clip(v34, v42)
  v30 = sin(v44)
  v24 = log1p(m)
  v30 = exp2(v36)
  v40 = norm(-0.013355450704693794)
  v = interp(v36, v43, -76.52922821044922)
  v31 = log1p(v29)
  v32 = negative(-0.04014604166150093)
  update = g * v24
  return update, m, v
