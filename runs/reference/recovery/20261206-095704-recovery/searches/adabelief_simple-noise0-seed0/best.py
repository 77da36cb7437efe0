"""Best program so far: candidate 5759, fitness 3.15051 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = m * -1.0014445781707764
  v7 = g + v6
  v8 = m * 1.0308797300240258e-06
  v9 = v7 + v8
  v1 = square(v9)
  v10 = v8 * -0.0004948813002556562
  v11 = v + v10
  v = interp(v1, v11, 0.9991922378540039)
  v2 = sqrt(v)
  m = interp(g, m, 0.9000863432884216)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
