"""Best program so far: candidate 449, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 2.4442400103907858e-08)
  v4 = g * 135.37002563476562
  v5 = m + v4
  m = interp(v5, m, 0.9926128387451172)
  v = interp(g, m, 0.8999999761581421)
  update = v * lr
  return update, m, v
