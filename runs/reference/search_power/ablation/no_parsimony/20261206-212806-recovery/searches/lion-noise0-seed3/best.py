"""Best program so far: candidate 2052, fitness 2.04393 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = m / 0.11117160320281982
  v11 = clip(v15, 1493156608.0)
  v12 = g + v11
  v2 = sign(v12)
  v6 = sign(v2)
  m = interp(g, m, 0.9899984002113342)
  v3 = dot(g, m)
  v9 = m * 6545.60693359375
  v10 = v3 + v3
  v1 = g / v10
  v7 = v6 * 1.4001868963241577
  v13 = v11 * 1.1821266525657848e-05
  v14 = v6 + w
  v8 = v1 + v14
  v = interp(v8, v6, 0.9000299572944641)
  update = v * lr
  return update, m, v
