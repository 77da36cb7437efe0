"""Best program so far: candidate 257191, fitness 0.173984 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = sign(g)
  v = m + v
  m = square(m)
  v = interp(g, v, 0.41191238164901733)
  v = v / 2.0714640617370605
  v = tanh(v)
  lr = lr * 1.0661436319351196
  update = v * lr
  v = arctanh(v)
  m = min(v, w)
  v = arctanh(v)
  v = v - 0.0007911422871984541
  return update, m, v
