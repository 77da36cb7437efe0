"""Best program so far: candidate 7226, fitness 2.00155 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.900007426738739)
  v9 = m * -0.0002162778255296871
  v10 = v + v9
  v1 = abs(v10)
  v2 = v1 / -0.9999739527702332
  v11 = v * 0.49852269887924194
  v12 = v1 + v11
  v1 = g + v
  v3 = v12 + v2
  v13 = v1 * -0.5000441670417786
  v14 = g + v13
  v5 = square(v14)
  m = interp(v5, m, 0.9990058541297913)
  v6 = sqrt(m)
  v7 = v3 / v6
  update = v7 * lr
  return update, m, v
