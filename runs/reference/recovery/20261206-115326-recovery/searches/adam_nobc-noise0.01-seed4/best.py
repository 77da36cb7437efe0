"""Best program so far: candidate 1114, fitness 2.00174 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.9000153541564941)
  v3 = square(g)
  v7 = min(m, 140544.234375)
  m = interp(v3, v7, 0.9990001320838928)
  v4 = sqrt(m)
  v5 = v / v4
  v1 = clip(v5, -4064.65380859375)
  update = v1 * lr
  return update, m, v
