"""Best program so far: candidate 80365, fitness 0.0729968 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v41 = cube(w)
  v39 = expm1(v41)
  v39 = arctan(v39)
  m = sin(m)
  m = clip(v39, m)
  v40 = g + -0.430963933467865
  v = v + v40
  v32 = lr * v40
  v30 = log10(m)
  lr = negative(-0.1255846619606018)
  v33 = sign(g)
  m = power(v, v30)
  m = clip(lr, m)
  v = v - 113.11231231689453
  v15 = global_norm(m)
  v29 = cosh(1.3808120489120483)
  v36 = g + v33
  v27 = cos(v39)
  v36 = v33 + v36
  v = clip_by_global_norm(v, -0.9946874380111694)
  v26 = tan(v)
  v31 = arctanh(v30)
  v = v - v15
  v42 = max(-3.6807748674529695e-30, v36)
  v = sinh(v)
  v34 = sign(lr)
  update = v42 * v
  update = sqrt(update)
  v28 = sin(v27)
  v = cube(v31)
  return update, m, v
