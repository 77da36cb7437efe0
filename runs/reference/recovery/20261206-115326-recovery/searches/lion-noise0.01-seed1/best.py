"""Best program so far: candidate 16166, fitness 0.989654 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = 0.013505959883332253 / g
  v7 = clip_by_global_norm(w, 0.00041699354187585413)
  v9 = m * 0.9001122117042542
  v10 = g + v9
  v = e()
  v8 = v10 + v7
  v1 = abs(v10)
  v14 = abs(v10)
  v = interp(v14, v15, 1.0228688555879994e-12)
  m = interp(v10, m, 0.9000244736671448)
  v5 = g * 0.8993802070617676
  v11 = v9 * -0.10055861622095108
  v12 = m + v11
  v6 = v12 + v5
  v2 = v8 / v
  update = v2 * lr
  return update, m, v
