"""Best program so far: candidate 114910, fitness 0.0769273 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = v - m
  lr = clip(g, lr)
  v46 = arccos(m)
  v31 = sign(m)
  v29 = arccosh(v)
  v34 = sqrt(lr)
  v41 = expm1(0.08473780751228333)
  v30 = exp10(-2.7696518898010254)
  v35 = invert(m)
  v36 = eps()
  v35 = v35 - v41
  v27 = cos(v29)
  m = global_norm(v35)
  v42 = m / -0.05147054046392441
  lr = power(lr, 0.7844801545143127)
  v38 = norm(m)
  v47 = tan(-1.6934504508972168)
  v33 = cube(v47)
  v40 = exp10(lr)
  v47 = max(v29, v40)
  v43 = g + v47
  v46 = max(v30, v46)
  v = square(v43)
  v37 = interp(v42, v, v40)
  v32 = exp(v47)
  v28 = log10(v46)
  m = v46 * v33
  v = norm(v37)
  v19 = norm(v32)
  update = v19 * v36
  return update, m, v
