"""Best program so far: candidate 15776, fitness 3.04109 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 0.9000006318092346)
  v = interp(g, v, 1.712859992730742e-10)
  v7 = g * 53752960.0
  v8 = m + v7
  v = interp(g, v8, 0.8999996781349182)
  v1 = tanh(v)
  v3 = w * 0.09912192076444626
  v4 = v1 + v3
  update = v4 * lr
  return update, m, v
