"""Best program so far: candidate 961, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = m * -0.2742466628551483
  v6 = v * 0.9000471234321594
  v7 = g + v6
  v14 = log10(g)
  v9 = abs(v14)
  v11 = abs(g)
  v = interp(v11, v, 0.9999962449073792)
  v12 = m - v
  v10 = v12 / v
  m = interp(v7, m, 3.337677703663111e-11)
  v = interp(m, v, 0.8999994397163391)
  v3 = v + g
  v1 = sign(m)
  v15 = w * 0.10000000149011612
  v16 = v1 + v15
  update = v16 * lr
  return update, m, v
