"""Best program so far: candidate 438978, fitness 0.243334 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v28 = arcsinh(m)
  v = clip(lr, g)
  v26 = tan(-1.194094181060791)
  v43 = cosh(-0.6444243788719177)
  v26 = exp10(m)
  lr = power(lr, 1.2588862180709839)
  v36 = arctan(0.7915618419647217)
  v31 = arcsinh(lr)
  v41 = arcsin(v31)
  v37 = g / v
  v33 = cbrt(v41)
  lr = clip(v37, v33)
  v25 = v41 / v33
  v30 = lr - -0.0360039584338665
  v31 = pi()
  v37 = clip(-0.42081448435783386, v)
  v27 = cosh(lr)
  v39 = eps()
  v35 = sin(v36)
  v39 = arcsinh(v26)
  v28 = max(v43, v28)
  v26 = global_norm(lr)
  update = cube(v30)
  update = arcsinh(update)
  v33 = pi()
  v29 = interp(-0.18864665925502777, v33, 0.16588753461837769)
  v32 = exp(g)
  v28 = exp(v30)
  return update, m, v
