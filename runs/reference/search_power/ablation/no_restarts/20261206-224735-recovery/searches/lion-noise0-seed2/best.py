"""Best program so far: candidate 553, fitness 0.169511 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v4 = abs(g)
  v7 = m * 0.0993921309709549
  v8 = v4 + v7
  m = interp(v8, m, 0.39802610874176025)
  v1 = abs(m)
  v5 = abs(m)
  v2 = lr / v5
  v = interp(g, v, 0.32606300711631775)
  update = v * v2
  return update, m, v
