"""Best program so far: candidate 6532, fitness 1.30246 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = abs(v)
  v15 = clip(g, -1294940.125)
  v16 = v9 + v15
  v7 = v9 * 42.76276397705078
  v8 = clip(g, v7)
  v11 = v8 / 1.2697941064834595
  v12 = v11 - v15
  v1 = abs(v12)
  v13 = v8 * 0.0017913796473294497
  v14 = v1 - v13
  v5 = abs(v14)
  v = interp(v5, v, 0.9858837127685547)
  v10 = m / 1.0613195896148682
  m = interp(g, v10, 0.9541648030281067)
  v2 = m / v
  update = v2 * lr
  return update, m, v
