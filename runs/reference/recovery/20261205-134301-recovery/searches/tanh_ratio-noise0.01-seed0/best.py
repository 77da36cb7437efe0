"""Best program so far: candidate 136534, fitness 0.12343 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = invert(-0.16059067845344543)
  m = sqrt(m)
  v41 = log1p(m)
  v38 = cube(m)
  v39 = sign(lr)
  v41 = tanh(v41)
  v28 = arctan(v41)
  v31 = tanh(g)
  v29 = negative(m)
  v45 = arctan(g)
  v32 = log(v41)
  v35 = arctanh(0.8181357979774475)
  v = max(v38, v35)
  m = log10(-0.3192324638366699)
  v42 = eps()
  v41 = arctan(v28)
  v37 = exp(v45)
  v43 = arctanh(m)
  v44 = tanh(v41)
  v33 = v - -0.31715133786201477
  v34 = interp(v32, lr, v33)
  m = max(v31, v43)
  v38 = v44 + m
  v36 = norm(v29)
  m = arctan(v34)
  update = arccosh(m)
  lr = log1p(update)
  v30 = sinh(v38)
  update = min(lr, v30)
  m = max(v30, v28)
  return update, m, v
