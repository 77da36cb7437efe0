"""Best program so far: candidate 397554, fitness 0.37934 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = arcsin(m)
  v30 = w - w
  v42 = norm(0.3548208177089691)
  m = min(v42, m)
  v = min(v, m)
  v27 = sinh(v)
  v39 = norm(m)
  lr = tan(lr)
  v37 = min(-0.4196796119213104, w)
  v36 = power(v37, g)
  v33 = g + v27
  v42 = reciprocal(v37)
  v28 = cube(lr)
  v31 = v30 - g
  v41 = tan(v31)
  v42 = cosine_sim(g, w)
  v29 = cbrt(v)
  v32 = arcsin(v41)
  v34 = max(0.3699759840965271, v41)
  m = interp(v34, v29, 0.48911723494529724)
  v28 = power(v28, 2.3801684379577637)
  v = clip_by_global_norm(v33, v28)
  v40 = cbrt(v33)
  v46 = arctan(v40)
  v25 = arctanh(v46)
  v43 = abs(-0.4486464262008667)
  v35 = cbrt(v25)
  v44 = v35 * 1.062285304069519
  update = arcsinh(v44)
  return update, m, v
