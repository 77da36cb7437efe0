"""Best program so far: candidate 100643, fitness 0.980711 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 0.902216911315918)
  v5 = m * 0.03694818913936615
  v6 = g + g
  v9 = g + v
  v10 = v * 0.547604501247406
  v11 = v9 + v10
  v14 = v5 * -0.553095281124115
  v15 = m + v14
  v7 = v15 * -0.20382170379161835
  v8 = v6 + v7
  v = interp(v8, m, 0.9180320501327515)
  v1 = sign(v)
  v16 = expm1(w)
  v12 = v16 * 0.03811272978782654
  v13 = v1 + v12
  update = v13 * lr
  return update, m, v
