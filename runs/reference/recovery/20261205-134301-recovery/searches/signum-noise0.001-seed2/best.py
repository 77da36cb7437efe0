"""Best program so far: candidate 273342, fitness 0.706883 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = exp10(v)
  v44 = reciprocal(0.6311871409416199)
  v32 = pi()
  v33 = exp2(g)
  lr = sqrt(w)
  v36 = 0.23573322594165802 / m
  v46 = sqrt(lr)
  v33 = exp(v33)
  v28 = eps()
  v45 = m - -2.0943195819854736
  v41 = g * v28
  v48 = max(v36, lr)
  v38 = log10(v)
  v28 = invert(1.4209507703781128)
  v40 = v41 + m
  v39 = cosh(v48)
  v29 = v40 * 0.9007810950279236
  v30 = cosh(v45)
  v37 = sinh(-0.20752882957458496)
  v40 = sign(v29)
  v35 = cube(v40)
  v47 = square(v44)
  m = log(m)
  v31 = e()
  v42 = sin(v29)
  m = clip(v40, v29)
  update = arctan(v35)
  return update, m, v
