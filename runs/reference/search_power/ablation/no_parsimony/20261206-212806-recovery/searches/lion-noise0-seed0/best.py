"""Best program so far: candidate 6393, fitness 3.83595 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = power(w, 4.41761898173354e-08)
  m = interp(g, m, 0.9900149703025818)
  v8 = w * 683.3597412109375
  v9 = v2 * v8
  v15 = m / v2
  v3 = clip(v15, v2)
  v13 = v15 / -0.0005378481582738459
  v14 = m + v13
  v5 = v14 * -0.005388390738517046
  v = interp(v5, v15, 1.409507788263653e-10)
  v6 = g + v
  v10 = arctanh(v6)
  v3 = clip(v10, m)
  v4 = sign(v3)
  v = interp(v4, v9, 0.00014633008686359972)
  update = v * lr
  return update, m, v
