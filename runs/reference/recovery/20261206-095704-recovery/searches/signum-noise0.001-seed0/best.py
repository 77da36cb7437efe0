"""Best program so far: candidate 806, fitness 2.9995 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999961018562317)
  v2 = sin(v)
  v3 = v * 1.0960206985473633
  v10 = abs(g)
  m = interp(v10, m, 0.9989467263221741)
  v11 = v2 / m
  v4 = v11 + v3
  v5 = sign(v4)
  m = interp(v5, g, 8.898581427274621e-07)
  v6 = sqrt(m)
  m = interp(v4, m, 1.0000004768371582)
  v7 = m / v6
  update = v7 * lr
  return update, m, v
