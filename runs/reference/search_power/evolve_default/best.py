"""Best program so far: candidate 3921, fitness 0.308127 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr * 7.228346824645996
  v16 = interp(m, 0.79435795545578, m)
  g2 = square(v16)
  v14 = abs(g)
  m = interp(g2, g, 0.7048802971839905)
  v19 = abs(g2)
  v17 = abs(v19)
  v13 = negative(g2)
  v18 = interp(m, 0.3894154131412506, v14)
  v = interp(v18, v13, 0.999)
  sqrt_v = sqrt(v)
  update = v18 / sqrt_v
  v11 = update - g
  v15 = arctanh(update)
  lr = lr * 0.0013006386579945683
  update = update * lr
  return update, m, v
