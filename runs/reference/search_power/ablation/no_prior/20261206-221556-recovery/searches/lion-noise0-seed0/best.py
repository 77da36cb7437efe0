"""Best program so far: candidate 1943, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = abs(g)
  m = interp(v9, m, 0.9980065822601318)
  v2 = cbrt(v)
  v14 = expm1(v2)
  v15 = sign(m)
  m = interp(v14, v15, 0.9999359250068665)
  v12 = v * -3.3370750315953046e-05
  v13 = g + v12
  v3 = v13 / m
  v = interp(v3, v, 0.9899985194206238)
  v5 = w * -0.09999969601631165
  v7 = v3 * 0.10001222789287567
  v8 = v + v7
  v11 = sign(v8)
  v6 = v11 - v5
  update = v6 * lr
  return update, m, v
