"""Best program so far: candidate 2525, fitness 2.99923 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v8 = w - 5.473296369018499e-06
  v2 = abs(m)
  v6 = v - -20.398487091064453
  v16 = arccos(v6)
  v7 = g + v16
  v3 = tanh(v7)
  v13 = v * 1.0207308530807495
  v14 = v7 + v13
  v = interp(v14, v, -0.006682715378701687)
  v5 = interp(m, v, 0.999930739402771)
  v = interp(m, v, 0.8816072344779968)
  v10 = sqrt(v7)
  v11 = v7 * 0.013998161070048809
  v12 = v + v11
  v15 = sign(v)
  update = v15 * lr
  return update, m, v
