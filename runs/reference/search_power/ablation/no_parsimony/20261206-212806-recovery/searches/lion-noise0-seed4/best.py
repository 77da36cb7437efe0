"""Best program so far: candidate 10582, fitness 0.558971 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = clip(v, -1.8557966947555542)
  v14 = g - v
  v1 = abs(g)
  m = interp(w, v14, 0.0008019937667995691)
  v12 = v14 + -0.770518958568573
  v13 = g + v7
  v10 = sign(v13)
  v8 = v1 * 0.0017136398237198591
  v9 = v8 - v7
  v5 = 0.24447330832481384 + v9
  v2 = sqrt(v5)
  v15 = cosine_sim(m, v5)
  v16 = v15 - -1.0023807287216187
  v3 = lr * v16
  v = interp(v13, v7, 0.9182230830192566)
  update = v10 * v3
  return update, m, v
