"""Best program so far: candidate 398097, fitness 0.239859 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v29 = reciprocal(g)
  v35 = exp2(w)
  v29 = global_norm(g)
  lr = interp(lr, lr, v29)
  v39 = arctan(g)
  v30 = 0.9887599945068359 / g
  v46 = eps()
  v38 = arccosh(v)
  m = cos(v)
  v44 = arccos(v)
  v28 = cos(v46)
  v43 = global_norm(v)
  v32 = min(0.8259842991828918, v46)
  v37 = min(v, v43)
  v31 = arccos(v35)
  v40 = log10(v39)
  v33 = exp(v44)
  v41 = g / lr
  v42 = -1.07657790184021 * v41
  v22 = sqrt(v42)
  v19 = square(v22)
  v34 = exp10(lr)
  v36 = arccos(v33)
  v42 = arccos(v31)
  v25 = reciprocal(v)
  v26 = reciprocal(v19)
  v47 = sin(1.3699637651443481)
  update = g * v26
  return update, m, v
