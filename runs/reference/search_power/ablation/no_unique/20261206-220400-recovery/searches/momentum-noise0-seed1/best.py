"""Best program so far: candidate 1263, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.47925978899002075)
  v3 = 1.920343279838562 * m
  m = interp(g, v3, 0.9778959155082703)
  update = m * lr
  return update, m, v
