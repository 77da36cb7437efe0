"""Best on the funnel: candidate 1831, funnel fitness 0.208064, proxy fitness 0.290779."""

def train(w, g, m, v, lr):
  v16 = abs(lr)
  lr = v16 * 9.0
  g2 = square(g)
  v14 = abs(g)
  m = interp(g, g, 3.096287965774536)
  v17 = sinh(g2)
  v13 = negative(v17)
  v18 = interp(m, 0.31803542375564575, g)
  v = interp(v18, v13, 0.999)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  v9 = sign(update)
  v11 = update - v9
  v15 = arctanh(update)
  lr = lr * 0.0013006386579945683
  update = update * lr
  return update, m, v
