"""Best program so far: candidate 920, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = tanh(g)
  v4 = v2 * 2.2086849212646484
  v9 = arccos(m)
  v5 = power(v9, v)
  v5 = e()
  v7 = g * 54979.3671875
  v10 = arcsin(v5)
  v8 = m + v7
  m = interp(v, v8, 0.8999918103218079)
  v6 = clip(m, 1.0)
  update = v6 * lr
  return update, m, v
