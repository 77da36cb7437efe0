"""Best program so far: candidate 93984, fitness 0.0405916 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = reciprocal(lr)
  v32 = cbrt(w)
  v29 = norm(w)
  v29 = sinh(v29)
  v33 = max(-7.5367431640625, -1.921012043952942)
  v35 = power(v, lr)
  v36 = interp(v35, v29, lr)
  lr = interp(v36, v33, -286.9739074707031)
  lr = dot(v, lr)
  m = cube(m)
  v = log2(lr)
  v35 = tanh(v35)
  v34 = arcsin(m)
  v37 = interp(v36, v34, -0.7040350437164307)
  v31 = arccos(v35)
  v39 = exp10(w)
  lr = log(m)
  v26 = abs(lr)
  m = arccos(lr)
  v = v * v26
  v30 = square(v39)
  v28 = min(lr, -20.1734676361084)
  v18 = square(v28)
  v41 = sin(v18)
  v3 = interp(v18, v, -7048.17919921875)
  v38 = eps()
  v = abs(v30)
  update = v3 * v38
  update = arcsinh(update)
  v40 = square(v37)
  return update, m, v
