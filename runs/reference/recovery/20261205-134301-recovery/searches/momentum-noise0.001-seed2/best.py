"""Best program so far: candidate 126675, fitness 0.142737 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v36 = arctan(g)
  v36 = clip(v36, 1.4683525562286377)
  v38 = sqrt(0.600141167640686)
  v29 = cube(g)
  v37 = arctan(0.46001407504081726)
  v28 = v / v37
  v35 = arctan(v)
  v28 = max(v38, v28)
  v39 = square(g)
  lr = exp(m)
  v31 = interp(m, lr, 0.0931265652179718)
  v40 = sinh(v39)
  v42 = clip(v29, v)
  lr = power(v28, v31)
  v = reciprocal(v36)
  m = arcsin(m)
  v33 = global_norm(m)
  v31 = sin(v)
  v32 = expm1(v29)
  v32 = expm1(v32)
  m = sinh(m)
  lr = clip(lr, v32)
  v30 = pi()
  v = interp(-4.483387470245361, m, v)
  v34 = min(v33, v36)
  v24 = max(v, lr)
  m = sign(v42)
  v41 = log1p(v24)
  update = g * v41
  v = v34 * g
  return update, m, v
