"""Best program so far: candidate 42878, fitness 0.842735 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v12 = m / -0.23737294971942902
  v13 = g - v12
  v2 = v12 * 0.2795168459415436
  v = interp(v13, g, 0.9074523448944092)
  v5 = g * -0.05283848196268082
  v7 = v * 0.21467725932598114
  v8 = m + v7
  v14 = sqrt(v5)
  v15 = abs(g)
  v10 = v8 * 0.133164182305336
  v11 = v + v10
  m = interp(v11, m, 0.975770890712738)
  v6 = m + v8
  v3 = v6 + v2
  v1 = sign(v3)
  update = v1 * lr
  return update, m, v
