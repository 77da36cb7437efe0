"""Best program so far: candidate 2298, fitness 3.00173 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.9000007510185242)
  v1 = clip(m, -53014.9296875)
  v9 = m * -1.0000003576278687
  v10 = g + v9
  v3 = square(v10)
  v = interp(v3, v, 0.9989985823631287)
  v4 = sqrt(v)
  v7 = m * 0.0007166106952354312
  v8 = v1 + v7
  v5 = v8 / v4
  update = v5 * lr
  return update, m, v
