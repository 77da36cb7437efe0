"""Best program so far: candidate 2592, fitness 1.73943 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = g * 0.2645370066165924
  v5 = v * -0.43580034375190735
  v6 = v3 + v5
  v4 = g + v6
  v8 = clip_by_global_norm(g, 0.05484655499458313)
  v14 = v8 * -0.02083597332239151
  v15 = v6 + v14
  v10 = v5 * 0.02953682653605938
  v12 = m * 0.10465091466903687
  v13 = v8 + v12
  v11 = v8 + v10
  v9 = v + v11
  v = interp(v4, v9, 0.938814640045166)
  v1 = sign(v)
  v7 = cbrt(v1)
  update = v7 * lr
  return update, m, v
