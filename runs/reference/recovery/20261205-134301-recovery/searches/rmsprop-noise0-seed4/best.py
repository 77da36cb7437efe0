"""Best program so far: candidate 172380, fitness 0.539322 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = sign(m)
  m = log2(m)
  v28 = exp2(lr)
  v39 = exp2(m)
  v33 = clip_by_global_norm(v, -2.274843454360962)
  v32 = arcsin(lr)
  v29 = g / v39
  v40 = min(2.0642168521881104, v)
  v34 = min(v33, v29)
  v42 = sin(v34)
  v43 = cos(1.833008050918579)
  v = interp(lr, v, -0.7172368168830872)
  v38 = cube(lr)
  m = v39 / v33
  m = arctan(m)
  v35 = max(-0.34822091460227966, v29)
  v37 = m / g
  lr = square(v)
  v22 = norm(v35)
  v31 = v39 * v28
  v = interp(v38, m, 0.33772850036621094)
  v36 = v29 * v22
  m = square(v34)
  v36 = cbrt(v36)
  v36 = arcsinh(v36)
  v30 = interp(v36, v34, 0.23648090660572052)
  v41 = clip(lr, v28)
  v19 = arcsin(v30)
  update = v41 * v19
  v19 = min(v39, v32)
  return update, m, v
