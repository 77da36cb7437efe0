"""Best program so far: candidate 51760, fitness 2.40055 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g * 0.1947900503873825
  v3 = m + v2
  v6 = g * 0.9692659974098206
  v7 = v3 + v6
  v12 = v3 * 0.14439155161380768
  v13 = v12 + v12
  m = interp(v13, v7, 0.8579773902893066)
  v11 = arcsinh(v2)
  v4 = v * 0.9086391925811768
  v10 = abs(g)
  v14 = square(v)
  v8 = clip_by_global_norm(v11, 0.5439260005950928)
  v15 = v8 - v4
  v9 = m + v4
  v5 = m - v8
  update = v5 * lr
  return update, m, v
