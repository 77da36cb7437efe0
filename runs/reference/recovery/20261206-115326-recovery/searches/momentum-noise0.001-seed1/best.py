"""Best program so far: candidate 431, fitness 3.00151 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.9000002145767212)
  v = interp(v, v, 0.526678740978241)
  m = interp(g, v, 2.910708190029254e-06)
  v4 = v * 9.000024795532227
  v5 = m + v4
  v2 = arctanh(v5)
  update = v5 * lr
  return update, m, v
