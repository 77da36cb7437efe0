"""Best program so far: candidate 1296, fitness 2.0033 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.9000208377838135)
  v5 = clip(g, g)
  v6 = g * 0.11843495815992355
  v7 = v + v6
  m = interp(v6, v, 0.9000716805458069)
  v1 = arcsin(m)
  v4 = sign(v1)
  v8 = w * 0.09999631345272064
  v9 = v4 + v8
  update = v9 * lr
  return update, m, v
