"""Best program so far: candidate 152101, fitness 0.29143 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v33 = cbrt(m)
  v42 = sqrt(v)
  v36 = arcsinh(g)
  v28 = square(v36)
  v38 = max(v28, v28)
  v39 = arctan(lr)
  v41 = power(0.3688310384750366, v38)
  v40 = arcsinh(v36)
  v31 = interp(g, m, v41)
  v37 = e()
  v30 = g - v42
  v29 = eps()
  v = negative(m)
  v = tan(v)
  v = arctanh(v)
  v28 = log1p(v30)
  v26 = max(v31, v30)
  v = arctanh(v)
  v27 = v26 * v
  v34 = v33 + v40
  v = min(v27, -0.09380850195884705)
  v32 = arctanh(lr)
  v35 = interp(v28, v30, v29)
  update = v32 * v
  v41 = square(v33)
  update = clip(v39, update)
  m = clip(update, 1.2392573356628418)
  update = clip(v34, m)
  m = tan(update)
  return update, m, v
