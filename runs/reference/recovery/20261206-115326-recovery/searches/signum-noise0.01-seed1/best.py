"""Best program so far: candidate 11231, fitness 2.0016 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v11 = m / 0.11515357345342636
  v12 = g + v11
  v3 = abs(v12)
  v7 = v3 * -0.9945210218429565
  v8 = v3 + v7
  v13 = sign(v)
  v = interp(v8, v13, 1.5107547213233374e-08)
  m = interp(g, m, 0.8999887704849243)
  v14 = v8 * -0.03498229756951332
  v15 = clip(m, v14)
  v4 = v15 / v
  v1 = v4 / 0.0699625089764595
  v2 = m + v1
  v9 = max(v1, -431.90338134765625)
  v10 = v9 + v1
  update = v10 * lr
  return update, m, v
