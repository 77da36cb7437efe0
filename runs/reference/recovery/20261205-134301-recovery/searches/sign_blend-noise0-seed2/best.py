"""Best program so far: candidate 3223536, fitness 0.42717 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = sqrt(-0.25971272587776184)
  v42 = arctanh(m)
  v47 = interp(m, 0.3082265853881836, lr)
  v45 = sign(-0.44416624307632446)
  v34 = min(v45, v45)
  v43 = interp(m, g, v)
  v26 = arcsinh(v34)
  v47 = -0.7861737012863159 + m
  v30 = log10(lr)
  v29 = v43 + -0.7518819570541382
  v37 = eps()
  v38 = interp(-0.3875683844089508, lr, 1.6342778205871582)
  m = v38 + v43
  v43 = sqrt(lr)
  v40 = e()
  v35 = v29 * v38
  v39 = invert(v26)
  v = cos(m)
  v28 = power(lr, v40)
  m = v35 - v
  v36 = sign(g)
  v27 = clip(v36, v28)
  v33 = cosh(-0.8141030073165894)
  v27 = tan(v27)
  v27 = max(v27, v35)
  update = cbrt(v27)
  return update, m, v
