"""Best program so far: candidate 5916, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = sign(g)
  v = interp(v1, m, 0.9933013916015625)
  v9 = g / 1.4842298412531818e-07
  m = exp(lr)
  v10 = v1 + v9
  m = interp(v, v10, 0.003310366766527295)
  v2 = g + m
  v13 = w * 0.10000000149011612
  v16 = lr + v1
  v = interp(m, v, -9.648880004882812)
  v7 = sign(v)
  v14 = v13 * 0.3147013783454895
  v15 = interp(v14, 0.22066937386989594, v)
  v18 = v7 + v13
  update = v18 * lr
  v17 = 1.132029414176941 + v13
  return update, m, v
