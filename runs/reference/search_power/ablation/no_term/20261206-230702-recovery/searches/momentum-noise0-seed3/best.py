"""Best program so far: candidate 681, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.4736842215061188)
  v5 = abs(v)
  m = interp(v5, m, 1.0097304582595825)
  v6 = v / m
  v3 = square(v6)
  v4 = log1p(v3)
  m = interp(m, v4, -0.8816902041435242)
  update = m * lr
  return update, m, v
