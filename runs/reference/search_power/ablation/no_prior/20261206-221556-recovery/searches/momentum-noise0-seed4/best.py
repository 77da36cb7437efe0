"""Best program so far: candidate 276, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = g * 436.8585510253906
  v4 = m + v3
  v5 = m * -1.0000005960464478
  v6 = v4 + v5
  m = interp(g, v6, 0.02064889669418335)
  v = interp(m, v, 0.8999999761581421)
  update = v * lr
  return update, m, v
