"""Best program so far: candidate 2039, fitness 2.00544 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = m * 172565823488.0
  v11 = v7 + m
  v8 = v + v11
  v = interp(g, v8, 5.215275693942756e-12)
  v9 = m * 1.7714377463562414e-05
  v10 = v + v9
  m = interp(v10, m, 0.899962306022644)
  v5 = m * 8.222676277160645
  v6 = v + v5
  v1 = sign(v)
  v12 = w * 0.10007572919130325
  v13 = v1 + v12
  update = v13 * lr
  return update, m, v
