"""Best program so far: candidate 1676, fitness 0.776117 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v = interp(v1, g, 0.00010567768913460895)
  v2 = sqrt(v)
  v13 = v * 0.006685617845505476
  v14 = g + v13
  v3 = v14 / v2
  v5 = norm(lr)
  v6 = g / 1.8028805255889893
  v7 = v3 + v6
  m = interp(v7, m, 0.3389693796634674)
  v8 = cbrt(m)
  v11 = v3 * 300.5225830078125
  v12 = v + v11
  v = interp(v8, v12, 0.0005756665486842394)
  update = v * v5
  return update, m, v
