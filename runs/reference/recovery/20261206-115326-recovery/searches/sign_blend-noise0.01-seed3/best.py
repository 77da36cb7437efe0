"""Best program so far: candidate 2330, fitness 1.99932 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(g)
  v4 = cbrt(m)
  v13 = interp(v, 0.0010247464524582028, 0.9993105530738831)
  v7 = w * -1.125396738643758e-05
  v8 = v2 - v7
  v14 = v7 - 1.6422167391283438e-05
  v15 = m + v14
  m = interp(v8, v15, -3.9959795475006104)
  v5 = g / 1.9998220205307007
  v9 = interp(g, v5, 0.8553696870803833)
  v6 = m + v5
  m = interp(v8, v15, -0.00011214509868295863)
  v10 = v8 * -7.070150604704395e-05
  v11 = v6 + v10
  v = interp(v11, v, 0.7998487949371338)
  update = v * lr
  return update, m, v
