"""Best program so far: candidate 590, fitness 2.99914 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = m * -1.001613736152649
  v8 = m * 0.0504288412630558
  v9 = m - v8
  v10 = m * 0.05547214299440384
  v14 = w * -8.978616072852219e-09
  v15 = g + v14
  v11 = v15 + v10
  v12 = v11 * 0.10035417228937149
  v13 = v9 + v12
  v7 = v11 - v13
  v1 = square(v7)
  v = interp(v1, v, 0.9989992380142212)
  v2 = sqrt(v)
  m = interp(g, m, 0.899997889995575)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
