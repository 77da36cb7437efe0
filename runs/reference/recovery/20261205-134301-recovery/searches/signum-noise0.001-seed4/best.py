"""Best program so far: candidate 444090, fitness 0.109956 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(v, v, g)
  v46 = lr / -1.1756678819656372
  v26 = clip(-1.0612566471099854, -2.3396453857421875)
  v32 = lr * v26
  v37 = power(-0.32839885354042053, -0.7403214573860168)
  v35 = abs(m)
  v = v / v32
  v30 = v35 + -1.0626236200332642
  lr = arcsinh(324.0727233886719)
  v39 = clip_by_global_norm(v30, lr)
  v33 = cube(g)
  v32 = arctan(v30)
  v44 = norm(v33)
  v27 = arcsinh(v46)
  v29 = interp(v32, v39, v44)
  v36 = pi()
  m = arcsin(v)
  v31 = abs(1.1982744932174683)
  v45 = arctan(v29)
  v = -0.2682842016220093 / v45
  v26 = pi()
  v24 = min(v27, v30)
  v38 = exp2(v37)
  v29 = arccosh(v24)
  v5 = sign(g)
  v40 = sqrt(v24)
  v34 = expm1(v5)
  lr = clip(v34, v40)
  v28 = sqrt(-0.14243647456169128)
  update = cube(lr)
  return update, m, v
