"""Best program so far: candidate 11774, fitness 0.881047 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v8 = cosine_sim(w, g)
  v15 = power(v8, -0.06675421446561813)
  v7 = arccosh(v15)
  v9 = min(v, 0.12723428010940552)
  v10 = v7 + v9
  v1 = clip_by_global_norm(v10, -9.999850545904485e+29)
  v2 = m + v1
  v2 = cbrt(v1)
  v13 = v1 - -0.04020459204912186
  v14 = g - v13
  v5 = g * v13
  m = interp(v5, m, 0.8958209753036499)
  v11 = abs(g)
  v = interp(v11, v, 0.9191866517066956)
  v12 = m / v
  update = v12 * lr
  return update, m, v
