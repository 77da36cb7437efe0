"""Best program so far: candidate 187302, fitness 0.176474 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v35 = log1p(g)
  v42 = g * m
  v32 = arctanh(m)
  v39 = arcsin(v)
  v25 = arctanh(v42)
  v40 = sinh(0.5453782677650452)
  v41 = max(g, w)
  v44 = exp10(0.15159615874290466)
  v31 = tan(v)
  v35 = interp(v41, lr, v35)
  v29 = v44 * v32
  v = interp(v35, v, lr)
  v33 = cos(v32)
  v32 = interp(v33, v25, v29)
  v36 = exp10(g)
  v38 = cube(v)
  lr = power(v42, v38)
  v30 = sqrt(lr)
  v34 = sinh(w)
  v27 = max(v30, v36)
  v = invert(v27)
  m = sign(v32)
  v11 = power(v, m)
  update = m * v11
  v28 = v * v44
  update = sign(update)
  update = clip(update, -0.6412590742111206)
  v38 = sign(-1.403954029083252)
  v29 = invert(v36)
  return update, m, v
