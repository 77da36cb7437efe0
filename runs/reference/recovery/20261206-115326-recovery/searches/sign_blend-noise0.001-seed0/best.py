"""Best program so far: candidate 506, fitness 2.99946 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v4 = sqrt(m)
  v = interp(v, v, 0.032493289560079575)
  v8 = sinh(v)
  m = interp(v1, w, -1.2088142931077073e-08)
  v2 = g / m
  v6 = g * 0.49999645352363586
  v = interp(v6, v, 0.799997866153717)
  v7 = v2 + v
  update = v7 * lr
  return update, m, v
