"""Best program so far: candidate 163333, fitness 0.339223 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = tanh(m)
  v27 = global_norm(w)
  v30 = clip_by_global_norm(v, -1.7869441509246826)
  v37 = arcsinh(m)
  v37 = clip(v37, v)
  m = tanh(m)
  v29 = 0.9865658283233643 + v37
  m = arctan(m)
  v40 = eps()
  v31 = min(m, v30)
  v26 = interp(lr, v31, -0.9050506353378296)
  m = -0.04071532189846039 / g
  v25 = max(v, v26)
  m = sinh(m)
  lr = cbrt(v40)
  v37 = arccosh(v25)
  v18 = interp(v, g, 0.6475384831428528)
  v36 = arcsinh(v25)
  v28 = clip(0.3666612505912781, v36)
  v32 = cube(v)
  v33 = v32 - v26
  v25 = sin(v18)
  v32 = arcsinh(v32)
  lr = tanh(v32)
  v21 = lr + v18
  v37 = e()
  v = max(v21, -41.574974060058594)
  v34 = tanh(lr)
  update = v21 * v36
  return update, m, v
