"""Best program so far: candidate 140940, fitness 0.404678 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v30 = arctan(-0.2855636477470398)
  v36 = min(g, g)
  m = max(0.1359473168849945, m)
  v31 = 0.34553229808807373 - -0.3684251606464386
  v42 = abs(-0.2745606005191803)
  v39 = arcsinh(-0.9249524474143982)
  lr = square(lr)
  v37 = interp(v, lr, -0.490548312664032)
  v27 = arctan(g)
  v = reciprocal(m)
  v39 = tan(w)
  v33 = v37 + v37
  v38 = clip_by_global_norm(g, v30)
  v27 = cbrt(v27)
  v34 = v * 12.174760818481445
  v41 = v33 * v33
  lr = sinh(lr)
  v32 = v41 + v34
  v43 = sin(v42)
  v44 = sinh(v33)
  v26 = sqrt(v32)
  m = arctanh(v27)
  v = v26 * v42
  v29 = min(v26, m)
  v35 = v37 - v33
  v40 = v33 / v34
  v22 = cbrt(v29)
  v29 = -0.5748534798622131 / -0.21956078708171844
  v34 = log1p(v40)
  update = v22 * lr
  return update, m, v
