"""Best program so far: candidate 3187, fitness 1.99952 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v16 = clip_by_global_norm(v, 1752.4527587890625)
  v = interp(v, v16, 0.019210297614336014)
  v7 = v * m
  m = interp(g, m, -0.10071622580289841)
  v = interp(m, v, 0.7909737229347229)
  v2 = v / 2.30084228515625
  v4 = abs(g)
  v5 = g / v4
  v10 = g * 0.025755831971764565
  m = negative(v2)
  v13 = clip_by_global_norm(w, 1.8873316776080173e-06)
  v14 = v10 - v13
  v11 = v5 + v14
  v15 = min(1.5477403402328491, v5)
  v3 = v15 + v2
  update = v3 * lr
  return update, m, v
