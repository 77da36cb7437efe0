"""Best program so far: candidate 151325, fitness 0.346452 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v32 = interp(g, m, -736.0668334960938)
  v28 = log2(m)
  v35 = cbrt(v)
  v37 = negative(v28)
  v34 = w / v37
  v = clip(64.70272064208984, g)
  v44 = expm1(lr)
  v35 = pi()
  v32 = v32 * v
  v36 = exp10(g)
  v41 = v32 / v37
  v31 = cube(v41)
  v42 = arctanh(v35)
  v27 = tan(v35)
  v29 = norm(0.16782474517822266)
  v26 = min(m, v31)
  v37 = norm(v35)
  v30 = log(v26)
  v39 = eps()
  v30 = -79.08352661132812 + v30
  v39 = v39 * v44
  v15 = v30 * v30
  lr = min(v, v39)
  v42 = e()
  v24 = power(v15, 1.8839409351348877)
  v24 = v24 - 79692544.0
  v32 = tan(v28)
  update = v24 * lr
  v40 = norm(update)
  return update, m, v
