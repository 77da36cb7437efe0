"""Best program so far: candidate 2741, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = m + -3.008038040874794e-09
  v4 = g - w
  v5 = max(v4, -3331.621826171875)
  lr = lr * 0.12024819850921631
  v6 = v4 + v5
  v11 = g * 472591.9375
  v12 = v + v11
  v15 = power(0.45176374912261963, v5)
  v13 = v15 * 1.1291113183320434e-10
  v14 = v12 + v13
  v = interp(v3, v14, 0.8999927639961243)
  v1 = arctanh(v)
  v9 = v5 * -0.000196364417206496
  v10 = v1 + v9
  m = interp(v10, v4, 0.00019632538896985352)
  update = m * lr
  return update, m, v
