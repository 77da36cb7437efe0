"""Best program so far: candidate 144185, fitness 0.195971 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v41 = arctanh(lr)
  v32 = g - 0.21764826774597168
  v25 = interp(m, v, lr)
  v43 = arccos(m)
  v29 = lr + 0.21742181479930878
  v37 = g / 1.8752350807189941
  v24 = g * lr
  v30 = log(m)
  v37 = clip(0.8208915591239929, v37)
  v30 = abs(v)
  m = v24 / v37
  v31 = square(0.593216061592102)
  v38 = v41 / v29
  v36 = exp2(0.9658746719360352)
  v27 = invert(-1.7575228214263916)
  v26 = square(v29)
  v45 = min(0.9158098101615906, v25)
  v39 = v31 + v30
  v34 = arcsinh(v24)
  v27 = arccosh(-0.08974086493253708)
  v = v45 + v34
  v28 = arctan(v)
  update = v26 * v28
  v33 = tanh(v41)
  v8 = expm1(update)
  update = clip(v8, 21.25152015686035)
  v40 = eps()
  v29 = tan(update)
  return update, m, v
