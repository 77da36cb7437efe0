"""Best program so far: candidate 39801, fitness 1.48898 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g * 0.4777331054210663
  v3 = v + v2
  v15 = abs(v2)
  v13 = power(g, -0.37227970361709595)
  v14 = clip(g, v15)
  v12 = m + v2
  v = interp(v12, v3, 0.8588511943817139)
  v5 = v2 * 2.4097931385040283
  m = interp(v5, m, 0.9466091394424438)
  v6 = v3 + m
  v4 = v + v6
  v8 = v5 + 26.554840087890625
  v10 = clip_by_global_norm(v3, -0.41233623027801514)
  v11 = v8 * v10
  v9 = v4 - v11
  update = v9 * lr
  return update, m, v
