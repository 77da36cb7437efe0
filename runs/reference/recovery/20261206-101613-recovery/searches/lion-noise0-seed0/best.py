"""Best program so far: candidate 168, fitness 0.143217 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = square(g)
  v = interp(v7, v, 0.3056536614894867)
  v8 = sqrt(v)
  v1 = abs(v8)
  v = interp(m, v, 0.2756243348121643)
  m = interp(v1, v, 2.1546608763856057e-07)
  v2 = g / m
  v4 = g * -0.00024441356072202325
  v5 = v2 + v4
  update = v5 * lr
  return update, m, v
