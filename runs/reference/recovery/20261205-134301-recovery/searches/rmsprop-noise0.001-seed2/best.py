"""Best program so far: candidate 86829, fitness 0.124325 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v30 = interp(-0.5953271389007568, v, g)
  v44 = exp10(g)
  lr = cosh(1.4465370178222656)
  v40 = min(-335.65411376953125, g)
  v33 = sin(m)
  v39 = exp(lr)
  v42 = v39 - v40
  v44 = sinh(v44)
  v38 = eps()
  v24 = norm(0.012213408015668392)
  v29 = arccos(-0.171827495098114)
  v44 = v42 * v44
  m = norm(v40)
  v32 = invert(v42)
  v28 = norm(g)
  v30 = sin(v29)
  v = tan(0.27392831444740295)
  v36 = log2(m)
  v35 = cbrt(v30)
  v42 = interp(v28, v42, m)
  v37 = min(v44, v42)
  v43 = min(v28, v38)
  v34 = arcsin(g)
  v = v37 / v24
  v = v + v
  update = v43 * v
  v31 = cbrt(v43)
  update = sqrt(update)
  m = v32 - v36
  return update, m, v
