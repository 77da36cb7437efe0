"""Best program so far: candidate 1398, fitness 3.00151 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v14 = g / 120894432.0
  v15 = m - v14
  v9 = arctanh(v15)
  v7 = m * -216.9466094970703
  v11 = square(g)
  v = interp(v11, v, 0.9990000128746033)
  v12 = sqrt(v)
  v13 = v14 * v12
  v8 = v13 + g
  v1 = abs(v8)
  v5 = abs(v15)
  v = interp(v5, v, 1.0)
  v10 = m * 1.0482332706451416
  m = interp(g, v15, 0.9000003933906555)
  v2 = m / v12
  update = v2 * lr
  return update, m, v
