"""Best program so far: candidate 116673, fitness 0.105211 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v40 = norm(g)
  v42 = cbrt(lr)
  lr = square(lr)
  v32 = max(g, m)
  v28 = min(v42, v32)
  v43 = v + v
  v27 = global_norm(v40)
  m = interp(v43, m, v28)
  v30 = power(v43, 0.753655731678009)
  v37 = arccos(g)
  v34 = reciprocal(v27)
  m = interp(m, -4.184643745422363, 0.5089126229286194)
  v33 = lr * m
  v31 = max(v37, g)
  v36 = cube(v33)
  v29 = arccos(v)
  v41 = power(v29, v42)
  v29 = v29 - v34
  v38 = tan(v41)
  v36 = v38 - v36
  m = arctan(v32)
  v35 = v36 + v38
  m = norm(v31)
  v26 = -0.3112802803516388 * v35
  v = sinh(v29)
  lr = eps()
  update = lr * v26
  update = cbrt(update)
  v28 = min(v34, v43)
  update = sqrt(update)
  return update, m, v
