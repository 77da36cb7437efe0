"""Best program so far: candidate 7004, fitness 1.97169 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(g, m, 0.9899876713752747)
  v6 = m * 5.731543933507055e-05
  v7 = v + g
  v4 = v7 * 0.1001492366194725
  v5 = m + v4
  v1 = sign(v5)
  v2 = lr / 1.0000600814819336
  v8 = w * 0.09998580068349838
  v9 = v1 + v8
  update = v9 * v2
  return update, m, v
