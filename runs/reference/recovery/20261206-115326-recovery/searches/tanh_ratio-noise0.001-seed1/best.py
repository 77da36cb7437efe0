"""Best program so far: candidate 5533, fitness 1.36214 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = g - -3.785948488931268e-16
  v16 = log1p(v3)
  v = interp(v3, v, 0.9034655094146729)
  v15 = sqrt(m)
  v8 = v + v3
  v4 = v3 * v3
  v12 = abs(g)
  m = interp(v12, m, 0.9465267062187195)
  v13 = abs(m)
  v14 = v / v13
  v6 = v14 - 0.06307639181613922
  v7 = min(v14, v14)
  v1 = clip_by_global_norm(v7, 40.02104187011719)
  v2 = m + v1
  v11 = arctan(v7)
  update = v11 * lr
  return update, m, v
