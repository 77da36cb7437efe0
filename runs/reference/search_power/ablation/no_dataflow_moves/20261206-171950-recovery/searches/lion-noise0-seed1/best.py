"""Best program so far: candidate 79861, fitness 1.36836 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = m + g
  m = 1.0879095792770386 * m
  v = sign(v)
  m = interp(g, m, 0.9100096821784973)
  v = v * 0.42259159684181213
  v = tanh(v)
  lr = lr * 2.5751922294148244e-05
  v = interp(w, 84.68467712402344, v)
  v = cube(v)
  update = v * lr
  return update, m, v
