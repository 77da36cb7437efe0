"""Best program so far: candidate 7842, fitness 3.20252 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v5 = v * 0.03170269727706909
  v7 = abs(g)
  v10 = m * -0.11067699640989304
  v11 = v7 + v10
  v12 = square(g)
  m = interp(v12, m, 0.9846598505973816)
  v13 = sqrt(m)
  v14 = v11 + v13
  v8 = v5 / v
  v6 = g + v8
  v1 = square(v6)
  m = interp(v1, m, 0.9142059683799744)
  v2 = sqrt(m)
  v3 = g / v2
  update = v3 * lr
  return update, m, v
