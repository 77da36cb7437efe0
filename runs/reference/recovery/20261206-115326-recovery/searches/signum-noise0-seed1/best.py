"""Best program so far: candidate 1171, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v5 = g * -8985.7958984375
  v6 = m + v5
  m = interp(v, v6, 0.8999958634376526)
  v2 = m * -7.2331767082214355
  v3 = g + v2
  v1 = sign(v3)
  update = v1 * lr
  return update, m, v
