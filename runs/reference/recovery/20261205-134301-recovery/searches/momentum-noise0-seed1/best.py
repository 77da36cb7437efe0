"""Best program so far: candidate 144842, fitness 0.110969 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v44 = cosh(v)
  v26 = cos(g)
  v45 = log1p(m)
  v38 = cos(-0.5381155610084534)
  v36 = reciprocal(g)
  v32 = cbrt(g)
  v34 = arctan(v36)
  v37 = log1p(g)
  lr = power(v34, v)
  v42 = 0.23078927397727966 / w
  v43 = sin(v32)
  lr = clip(lr, v37)
  v39 = lr + lr
  v31 = log1p(v43)
  v45 = square(g)
  v30 = interp(-1.3880648612976074, v32, v26)
  lr = arcsin(lr)
  v28 = interp(v31, g, v38)
  v33 = arcsinh(v32)
  v41 = max(v33, 0.4367865025997162)
  v40 = max(v, v28)
  v37 = arctan(w)
  v40 = power(v40, lr)
  v27 = min(v39, v41)
  v27 = arccos(v27)
  v = tanh(v27)
  v35 = cbrt(0.02132429927587509)
  lr = log1p(v40)
  update = v28 * lr
  v29 = g * -0.788169264793396
  return update, m, v
