"""Best program so far: candidate 1857, fitness 2.00333 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = w * -5.364267394725175e-07
  v7 = v + v6
  v = interp(g, v, 0.9000071883201599)
  v2 = square(v6)
  v14 = v7 * -0.9999210238456726
  v15 = v2 + v14
  v10 = v15 + g
  v11 = square(v10)
  m = interp(v11, m, 0.9991899132728577)
  v12 = sqrt(m)
  v8 = v12 * 6.8874910219562935e-09
  v9 = m + v8
  m = interp(v2, v9, 0.9998056888580322)
  v3 = sqrt(m)
  v4 = v / v3
  update = v4 * lr
  return update, m, v
