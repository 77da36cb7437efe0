"""Best program so far: candidate 130447, fitness 0.114417 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v31 = tan(g)
  v40 = max(g, m)
  lr = power(lr, 1.7574418783187866)
  v31 = arctanh(g)
  v = lr + v
  m = interp(v40, -3.3258256912231445, 0.48195868730545044)
  v27 = clip(g, v40)
  v32 = arcsin(lr)
  v30 = arctan(v40)
  m = max(v31, m)
  m = lr * m
  v33 = v27 * lr
  v36 = cube(m)
  v27 = log10(v36)
  v38 = tan(v32)
  v36 = v38 - v36
  lr = max(v33, v36)
  v35 = v36 + v33
  m = norm(lr)
  v39 = m + -0.0941019207239151
  v26 = 0.4063183069229126 * v35
  lr = eps()
  v37 = max(v36, v27)
  v42 = v26 * v30
  update = lr * v42
  update = cbrt(update)
  update = sqrt(update)
  v29 = tan(v31)
  v28 = cos(v32)
  return update, m, v
