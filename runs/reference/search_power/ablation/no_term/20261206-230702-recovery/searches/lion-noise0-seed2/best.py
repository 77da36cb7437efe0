"""Best program so far: candidate 12163, fitness 0.991836 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = sign(g)
  v10 = log(v)
  v8 = v10 + -209.46046447753906
  v = interp(g, v, 0.9900103211402893)
  m = interp(g, v, 0.9091700315475464)
  v7 = m / 0.004153116140514612
  v13 = 4.666938304901123 + m
  m = interp(w, v10, -0.0008029481978155673)
  v12 = v - w
  v14 = negative(v7)
  v16 = m / v10
  m = interp(v14, v16, 0.003990264143794775)
  v15 = m / -0.0005743338260799646
  v6 = tanh(v15)
  v17 = -0.005658199079334736 + v6
  update = v17 * lr
  return update, m, v
