"""Best program so far: candidate 444, fitness 1.99948 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999944925308228)
  v2 = sin(v)
  v3 = v * 0.7399733662605286
  v4 = v2 + v3
  v5 = square(v4)
  m = interp(v5, m, 3.492444666797212e-10)
  v6 = sqrt(m)
  v7 = v4 / v6
  update = v7 * lr
  return update, m, v
