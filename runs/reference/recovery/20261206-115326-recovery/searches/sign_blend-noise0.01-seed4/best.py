"""Best program so far: candidate 2764, fitness 2.00175 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v13 = m + 0.015235848724842072
  v7 = v13 * 5.03553581237793
  v8 = v + v7
  v1 = sign(g)
  v9 = m * 4.609228134155273
  v10 = v + v9
  v14 = g * 0.02490827813744545
  v15 = g + v14
  m = interp(v15, m, 0.8000727295875549)
  v = interp(m, v10, -8.819012873573229e-05)
  v2 = v / 2.0485923290252686
  v3 = v1 + v2
  v = interp(v3, v, 0.00011119730334030464)
  v11 = interp(lr, lr, 0.9383792281150818)
  update = v * v11
  return update, m, v
