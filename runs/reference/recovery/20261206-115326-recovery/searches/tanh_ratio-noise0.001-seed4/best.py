"""Best program so far: candidate 754, fitness 3.00166 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.9000005125999451)
  v2 = abs(g)
  v = interp(v2, v, 0.9500047564506531)
  v5 = v * 0.9847320318222046
  v = interp(v5, v, 1.0000851154327393)
  v13 = g * 0.04125841334462166
  v14 = v + v13
  v8 = min(1.0364349378733095e-09, v2)
  v6 = m + v8
  v3 = v6 / v
  v11 = m * 4.075020001437224e-07
  v12 = v3 + v11
  v7 = arctan(v12)
  v9 = 0.9999697804450989 * lr
  v15 = tanh(v12)
  update = v15 * v9
  return update, m, v
