"""Best program so far: candidate 98450, fitness 0.0913914 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = norm(m)
  v38 = max(m, v)
  v33 = arccos(m)
  lr = log10(g)
  v42 = arccosh(v)
  v40 = w / w
  v = sinh(v42)
  v41 = lr - v
  v27 = tanh(0.03276330232620239)
  v31 = interp(2.04260516166687, v33, v42)
  v34 = v / v33
  v37 = lr + 97.40714263916016
  v29 = 11.011402130126953 + v37
  v36 = interp(g, v29, v33)
  v28 = 87.46460723876953 + v36
  v44 = arccosh(v38)
  v42 = tan(g)
  v32 = interp(v27, v34, v37)
  v = v + v44
  lr = v28 / v27
  lr = lr - v
  v43 = negative(v42)
  v22 = square(lr)
  v = v43 + v
  m = v32 + v44
  v39 = tan(v)
  v3 = norm(v22)
  v35 = eps()
  update = v3 * v35
  v30 = sin(w)
  return update, m, v
