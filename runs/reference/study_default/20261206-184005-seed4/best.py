"""Best program so far: candidate 2066, fitness 0.376769 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr * 4.560501575469971
  g2 = square(g)
  v11 = g2 * -0.18200646340847015
  v12 = m - v11
  m = interp(g, v12, 0.9)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  update = m / sqrt_v
  wd = w * 0.01
  v10 = max(update, wd)
  update = update + v10
  lr = lr * 0.001
  v13 = clip_by_global_norm(v11, -0.07273481786251068)
  v15 = -0.10848502069711685 * v13
  v14 = update + v15
  update = v14 * lr
  return update, m, v
