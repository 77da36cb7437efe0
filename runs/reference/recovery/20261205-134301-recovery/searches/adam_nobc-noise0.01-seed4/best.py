"""Best program so far: candidate 119117, fitness 0.102983 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v33 = clip(0.5071125030517578, m)
  lr = cube(lr)
  v32 = log10(-0.6706671714782715)
  v38 = log(v33)
  v28 = abs(lr)
  v28 = v28 * v
  v35 = min(m, lr)
  v27 = v33 - lr
  v36 = v * v28
  m = max(g, v36)
  m = clip(1.599382996559143, m)
  v30 = negative(v35)
  m = tan(m)
  v31 = v27 * m
  v22 = g + 4.579351425170898
  m = norm(v35)
  v40 = max(1.5933324098587036, m)
  v = max(v31, -1.5113621950149536)
  m = norm(v40)
  v29 = 4.8404412269592285 - m
  m = log10(v29)
  v34 = global_norm(w)
  v = clip_by_global_norm(m, 2.6920206546783447)
  v22 = max(v22, v31)
  update = v22 * v
  v = arcsinh(update)
  v5 = arcsin(update)
  m = invert(update)
  v40 = e()
  update = square(v5)
  return update, m, v
