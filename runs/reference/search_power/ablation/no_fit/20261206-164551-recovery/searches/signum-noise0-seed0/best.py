"""Best program so far: candidate 61914, fitness 1.48677 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = v * -0.16266830265522003
  v9 = v3 + 0.27577561140060425
  v15 = sin(v3)
  v10 = g / w
  v4 = g + v15
  v = interp(v4, v, 0.9120126962661743)
  v6 = v15 * -0.13563735783100128
  m = interp(v6, m, 0.9310052990913391)
  v13 = clip_by_global_norm(v10, -0.09660203754901886)
  v14 = v + v13
  v7 = v14 + m
  v11 = m * -0.42199957370758057
  v12 = m + v14
  v5 = log1p(v12)
  v1 = sign(v12)
  update = v1 * lr
  return update, m, v
