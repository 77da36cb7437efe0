"""Best program so far: candidate 43135, fitness 1.64501 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g + v
  v9 = m * 0.3785950243473053
  v10 = v2 + v9
  v13 = m * -0.018964465707540512
  v14 = v10 + v13
  v15 = g * -0.14568133652210236
  v16 = v14 + v15
  v = interp(g, v16, 0.6054260730743408)
  v3 = g - -0.03289645165205002
  m = interp(v, m, 0.729232907295227)
  v11 = sqrt(v9)
  v7 = v16 * 0.036256514489650726
  v12 = arctanh(v7)
  v8 = v + v15
  v4 = v8 + m
  update = v4 * lr
  return update, m, v
