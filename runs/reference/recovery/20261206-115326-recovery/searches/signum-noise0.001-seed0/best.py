"""Best program so far: candidate 444, fitness 2.99946 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999882340431213)
  v2 = sin(v)
  v3 = v * 0.22896979749202728
  v4 = v2 + v3
  v5 = square(v4)
  m = interp(v5, m, 4.5468330489573106e-11)
  v6 = sqrt(m)
  v7 = v4 / v6
  update = v7 * lr
  return update, m, v
