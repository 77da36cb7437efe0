"""Best program so far: candidate 214, fitness 1.18895 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = norm(g)
  m = interp(v2, m, 0.5968342423439026)
  m = interp(m, m, 7.164497883849208e-10)
  v9 = cbrt(m)
  v3 = sqrt(v9)
  v4 = g / v3
  v = interp(v4, v, 0.8999781608581543)
  v6 = abs(v)
  m = interp(v6, m, 1.36584110688176e-09)
  v7 = v / m
  update = v7 * lr
  return update, m, v
