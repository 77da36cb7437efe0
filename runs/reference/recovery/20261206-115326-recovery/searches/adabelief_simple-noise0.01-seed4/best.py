"""Best program so far: candidate 4942, fitness 2.00174 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.9000141620635986)
  v6 = m * -1.000095248222351
  v7 = g + v6
  v2 = square(v7)
  v = interp(v2, v, 0.9990001320838928)
  v3 = sqrt(v)
  v4 = m / v3
  update = v4 * lr
  return update, m, v
