"""Best program so far: candidate 147973, fitness 4.08157 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(m, g, 0.9998740553855896)
  update = m * lr
  m = m / 0.00013993604807183146
  m = interp(m, 11701.52734375, 1.2255961578944152e-08)
  return update, m, v
