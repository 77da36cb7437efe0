"""Best program so far: candidate 44796, fitness 0.373364 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v32 = e()
  v33 = arctanh(g)
  v35 = e()
  v28 = abs(m)
  v34 = v * 4.720897674560547
  m = power(-0.8012593388557434, m)
  v38 = interp(v34, v34, 0.03647219017148018)
  v37 = cos(v32)
  v35 = sinh(v32)
  lr = sinh(lr)
  v27 = cube(lr)
  v28 = eps()
  v44 = tan(-3.0259971618652344)
  v43 = log1p(-0.527725100517273)
  v42 = e()
  v30 = interp(w, v42, v27)
  v = power(m, v33)
  m = sin(v33)
  v34 = v34 - v27
  v31 = negative(v28)
  v39 = min(0.0293053537607193, v35)
  v26 = cosh(v34)
  v29 = min(v26, g)
  v37 = square(0.3811693489551544)
  v22 = cbrt(v29)
  update = v22 * lr
  v22 = v37 * v32
  v36 = min(update, v42)
  return update, m, v
