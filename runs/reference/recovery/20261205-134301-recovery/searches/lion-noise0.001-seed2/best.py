"""Best program so far: candidate 363860, fitness 0.256282 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v29 = arcsin(g)
  v29 = sinh(v29)
  v45 = expm1(v29)
  v29 = tanh(v45)
  v = interp(lr, v, g)
  v42 = v29 * w
  v38 = log1p(v29)
  m = tanh(lr)
  v37 = arctanh(v38)
  v44 = power(-3.834578275680542, 0.25703075528144836)
  v34 = arcsinh(v38)
  v46 = tan(m)
  v48 = exp(v42)
  v41 = max(w, v44)
  v40 = log2(v46)
  v43 = arctanh(v45)
  v35 = cube(v46)
  v = -1.0804425477981567 / v37
  v33 = interp(v41, 1.1249690055847168, v48)
  v23 = interp(lr, v, -0.11364059150218964)
  m = clip_by_global_norm(v33, 1.32081139087677)
  v25 = v23 * v37
  v28 = power(v46, v33)
  v39 = arcsin(v28)
  v30 = min(v39, v23)
  v32 = expm1(2.0814788341522217)
  v47 = sign(v25)
  v31 = clip(v47, v30)
  v36 = arctan(v31)
  update = sinh(v36)
  return update, m, v
