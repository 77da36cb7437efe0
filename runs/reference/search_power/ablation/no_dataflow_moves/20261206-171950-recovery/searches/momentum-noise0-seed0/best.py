"""Best program so far: candidate 186733, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr / 0.10000000149011612
  m = interp(m, g, 0.10000000149011612)
  update = m * lr
  lr = lr - update
  lr = abs(lr)
  return update, m, v
