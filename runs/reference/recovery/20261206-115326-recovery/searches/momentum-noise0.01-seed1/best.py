"""Best program so far: candidate 389, fitness 2.00154 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, -6.655025117652258e-06)
  m = interp(g, v, 0.4231952428817749)
  v4 = v * 4.003310680389404
  m = interp(v4, m, 0.866817057132721)
  v5 = m + m
  v2 = arctanh(v5)
  update = v5 * lr
  return update, m, v
