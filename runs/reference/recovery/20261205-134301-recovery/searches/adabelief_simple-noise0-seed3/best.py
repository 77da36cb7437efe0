"""Best program so far: candidate 96152, fitness 0.0872966 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v30 = interp(g, v, w)
  lr = cube(v30)
  v34 = v - 2.7880842685699463
  v45 = lr * -13207163895808.0
  v33 = arccos(m)
  lr = log10(v45)
  v27 = tanh(0.032938215881586075)
  v39 = exp10(v27)
  m = max(v45, m)
  v37 = lr + 96.93118286132812
  v40 = log2(lr)
  v29 = 7.250535488128662 + v37
  v36 = interp(g, v29, v33)
  v38 = sin(0.4655023217201233)
  v28 = 82.25495147705078 + v36
  v44 = arccosh(m)
  v31 = cube(v34)
  v = v34 + v44
  v45 = abs(-0.8094704747200012)
  m = v31 * v31
  lr = v28 / v27
  v32 = arcsin(v36)
  lr = lr - v34
  v45 = eps()
  v22 = square(lr)
  v3 = norm(v22)
  v35 = eps()
  update = v3 * v35
  return update, m, v
