"""Best program so far: candidate 137216, fitness 0.139881 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v38 = cube(m)
  v28 = arctan(v)
  v = cos(v38)
  v = 1.5646023750305176 + v28
  v28 = sign(v28)
  v35 = max(m, m)
  v41 = max(v38, v28)
  v37 = cube(v38)
  v31 = tanh(g)
  v = max(v41, g)
  v32 = sin(g)
  v27 = arccos(v41)
  m = log10(-0.3599502146244049)
  v26 = v35 - v32
  v40 = log(v28)
  v43 = arctanh(m)
  v41 = exp10(v37)
  v29 = clip(v35, -0.43147012591362)
  v33 = v - -0.5863567590713501
  v34 = interp(v40, lr, v33)
  m = max(v31, v43)
  v38 = v29 + m
  m = arctan(v34)
  v39 = exp2(m)
  update = arccosh(m)
  lr = log1p(update)
  v36 = cube(v32)
  update = min(lr, v38)
  m = max(m, update)
  return update, m, v
