"""Best program so far: candidate 1215, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 4.8970991706198674e-09)
  v3 = v * 0.8999999761581421
  v4 = g + v3
  m = interp(v4, v, -3.798930503506881e-09)
  update = m * lr
  return update, m, v
