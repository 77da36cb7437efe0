"""Best program so far: candidate 158641, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(0.10000002384185791, 0.10000002384185791, w)
  lr = lr / 0.20000004768371582
  v = interp(v, g, m)
  m = interp(v, 2.5371956825256348, v)
  m = interp(m, g, v)
  m = arctanh(m)
  m = v + v
  update = m * lr
  return update, m, v
