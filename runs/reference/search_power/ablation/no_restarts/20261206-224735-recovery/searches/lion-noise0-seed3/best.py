"""Best program so far: candidate 17183, fitness 5.50988 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = log2(w)
  v12 = abs(w)
  v16 = sin(w)
  v15 = min(g, v)
  v13 = v1 + v
  m = interp(v, m, 0.9000191688537598)
  v = interp(g, m, 0.9000654816627502)
  v2 = v / m
  v5 = v16 + 0.0021954828407615423
  v6 = w / -3.1279694667318836e-05
  v10 = sign(w)
  v8 = v10 * 0.29708993434906006
  v9 = v + v
  v11 = sign(v)
  v17 = interp(v11, v6, -3.1279719223675784e-06)
  update = v17 * lr
  return update, m, v
