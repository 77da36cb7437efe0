"""Best program so far: candidate 214733, fitness 0.170046 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = sinh(m)
  m = -0.027355127036571503 + m
  m = arctanh(m)
  v = 0.16596029698848724 + w
  m = interp(m, 0.3663104474544525, 0.46730995178222656)
  m = m + g
  m = tanh(m)
  m = tanh(m)
  update = m * lr
  m = arcsin(m)
  return update, m, v
