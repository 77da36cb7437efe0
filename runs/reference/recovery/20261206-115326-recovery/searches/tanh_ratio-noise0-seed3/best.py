"""Best program so far: candidate 1016, fitness 0.655072 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = exp2(w)
  v = interp(g, v, 0.8938202857971191)
  v = interp(m, v, 0.9999123215675354)
  v3 = arctan(v)
  v5 = sin(v3)
  v6 = square(g)
  m = interp(v6, m, 0.9807601571083069)
  v7 = sqrt(m)
  v8 = v5 / v7
  update = v8 * lr
  return update, m, v
