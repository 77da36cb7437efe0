"""Best program so far: candidate 185028, fitness 0.151625 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v44 = tanh(g)
  v41 = tan(v44)
  lr = interp(v41, lr, 0.7401103377342224)
  v26 = sqrt(1.0704872608184814)
  v26 = e()
  lr = sin(lr)
  m = arcsinh(m)
  v42 = max(-4.057805061340332, g)
  v29 = sqrt(m)
  lr = max(v, lr)
  lr = max(lr, v29)
  v30 = log2(v44)
  v38 = norm(v42)
  v28 = square(lr)
  m = sin(v30)
  v = exp2(0.14992517232894897)
  m = sin(m)
  v39 = abs(w)
  v40 = cbrt(v42)
  v32 = 1.8790162801742554 * v40
  v36 = exp(m)
  v35 = global_norm(w)
  v34 = cube(v)
  v27 = interp(v38, v32, v34)
  v36 = log2(v38)
  v37 = v35 / 6.372954845428467
  v = log10(v27)
  update = g * v28
  return update, m, v
