"""Best program so far: candidate 11227, fitness 1.63377 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v = interp(g, v, 0.9899234175682068)
  v5 = m / 177183856.0
  v6 = w + v
  v8 = v + v5
  m = interp(g, m, 9.999121756282259e-13)
  m = interp(m, v8, 0.9084922671318054)
  v3 = sign(m)
  v9 = w * 0.09997191280126572
  v10 = v3 + v9
  update = v10 * lr
  return update, m, v
