"""Best program so far: candidate 349, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999999761581421)
  v2 = clip(v, 17377.783203125)
  v3 = v2 / 0.10000002384185791
  update = v3 * lr
  return update, m, v
