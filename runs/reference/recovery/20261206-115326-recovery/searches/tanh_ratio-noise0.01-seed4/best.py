"""Best program so far: candidate 553, fitness 0.782205 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.8624731302261353)
  v2 = arcsin(m)
  v10 = v2 + g
  v3 = v10 * 0.03885289654135704
  v4 = m + v3
  m = interp(v2, v4, 0.9418355226516724)
  v5 = square(v10)
  v = interp(v5, v, 0.958926260471344)
  v9 = sqrt(v)
  v13 = v * 621.6073608398438
  v14 = v9 + v13
  v = interp(v14, v, 0.9999818205833435)
  v6 = sqrt(v)
  v7 = m / v6
  update = v7 * lr
  return update, m, v
