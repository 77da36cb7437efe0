"""Best program so far: candidate 353209, fitness 0.090028 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = invert(lr)
  v29 = power(m, m)
  v38 = log(m)
  v27 = cos(m)
  v38 = cbrt(g)
  v36 = v27 / v29
  v42 = arccosh(v29)
  v31 = exp(v36)
  lr = arccos(lr)
  lr = lr - v31
  v47 = v38 - -1.3049836158752441
  lr = arcsin(lr)
  lr = arcsin(lr)
  v28 = arcsin(m)
  v37 = min(0.2558022439479828, g)
  v27 = invert(v31)
  v43 = clip(v37, lr)
  v35 = arcsinh(v42)
  v39 = v43 - v28
  v45 = pi()
  v41 = arctan(v39)
  v46 = exp2(v41)
  v32 = abs(0.4065825939178467)
  v28 = arctan(v36)
  v34 = eps()
  v30 = reciprocal(0.9954861998558044)
  update = g * v46
  v40 = negative(0.8481723070144653)
  m = power(v41, 2.751920700073242)
  v44 = pi()
  return update, m, v
