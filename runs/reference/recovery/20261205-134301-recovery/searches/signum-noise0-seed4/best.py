"""Best program so far: candidate 439354, fitness 0.108573 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v46 = lr / -1.0545376539230347
  v = v / v46
  v43 = square(w)
  v30 = v + -1.0731201171875
  v35 = abs(g)
  lr = arcsinh(16.398849487304688)
  v32 = cube(v30)
  v37 = sqrt(g)
  v33 = reciprocal(v37)
  v38 = e()
  v39 = clip_by_global_norm(v30, lr)
  v28 = arcsin(v39)
  v44 = norm(v33)
  v42 = sign(0.31585678458213806)
  v43 = abs(v44)
  v27 = arcsinh(v46)
  m = power(g, v28)
  v29 = interp(v27, v39, v44)
  v45 = arctan(v29)
  v41 = abs(v30)
  v = -0.28368493914604187 / v45
  v27 = cosine_sim(v35, v28)
  v24 = min(v27, v30)
  v36 = expm1(w)
  v5 = sign(g)
  v40 = sqrt(v24)
  v34 = expm1(v5)
  lr = clip(v34, v40)
  update = cube(lr)
  v31 = 0.23527754843235016 + v27
  return update, m, v
