"""Best program so far: candidate 858, fitness 3.00154 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = abs(g)
  v12 = w * -0.01335333101451397
  v13 = v + v12
  v7 = v13 + 0.0028018185403198004
  v14 = sqrt(v7)
  v8 = v3 / v14
  v = interp(v8, v, 0.9999997019767761)
  m = interp(g, m, 0.8999964594841003)
  v4 = m / v
  v11 = sign(v4)
  v1 = v11 / 0.9999964237213135
  v2 = m + v1
  v9 = v8 * -1.737110544297593e-08
  v10 = v1 + v9
  update = v10 * lr
  return update, m, v
