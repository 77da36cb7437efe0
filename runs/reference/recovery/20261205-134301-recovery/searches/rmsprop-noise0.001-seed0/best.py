"""Best program so far: candidate 615674, fitness 0.50252 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = power(lr, lr)
  v35 = sqrt(w)
  v40 = expm1(w)
  v42 = cbrt(g)
  v30 = lr * g
  v43 = tan(lr)
  v29 = cube(-1.8722516298294067)
  lr = arctanh(lr)
  v33 = interp(v30, lr, -0.08784592151641846)
  v34 = min(v42, 0.08525392413139343)
  v32 = min(v43, v33)
  v26 = arctan(v34)
  v28 = pi()
  v34 = sinh(v26)
  v27 = square(v)
  v26 = tan(v26)
  v43 = invert(v26)
  v45 = cbrt(v26)
  v36 = exp2(w)
  v33 = invert(v36)
  v41 = cbrt(v26)
  v37 = v43 - v35
  v44 = arcsin(v41)
  v41 = max(v44, v34)
  v46 = lr * v41
  v39 = log(g)
  v38 = max(v46, v32)
  update = clip(v38, -3.141597032546997)
  v = cube(v26)
  return update, m, v
