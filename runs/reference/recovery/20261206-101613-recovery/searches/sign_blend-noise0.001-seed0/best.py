"""Best program so far: candidate 4972, fitness 2.99951 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v15 = min(g, w)
  v13 = v15 * -2.8372750282287598
  v14 = m + v13
  m = interp(g, v15, -1.2699581475317245e-07)
  v1 = abs(m)
  v4 = sqrt(m)
  v8 = sinh(v)
  m = interp(v1, w, 3.68610457712748e-08)
  v2 = g / m
  v11 = v2 * 7.176276994869113e-05
  v12 = g + v11
  v6 = v12 * 0.49997833371162415
  v = interp(v6, v, 0.799995481967926)
  m = interp(v2, m, 3.684840976347914e-06)
  v7 = m + v
  update = v7 * lr
  return update, m, v
