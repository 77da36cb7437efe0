"""Best program so far: candidate 5151, fitness 0.970568 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v12 = v * -0.8034693598747253
  v13 = g + v12
  v = interp(v13, v, 0.9453315734863281)
  v16 = g - v
  v7 = v16 * 0.579377293586731
  v8 = g - v7
  v9 = abs(v8)
  m = interp(v9, m, 0.8945954442024231)
  v10 = v8 / m
  v2 = abs(v10)
  v5 = w * 1.4421542882919312
  v6 = v2 + v5
  v3 = lr / m
  v14 = g / -280.22613525390625
  v15 = v + v14
  update = v15 * v3
  return update, m, v
