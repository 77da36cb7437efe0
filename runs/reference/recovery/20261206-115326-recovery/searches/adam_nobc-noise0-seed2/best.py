"""Best program so far: candidate 1013, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v5 = abs(v1)
  v14 = g * 5.563113081308302e-09
  v15 = v5 + v14
  v13 = square(v15)
  m = interp(v13, m, 0.9990000128746033)
  v6 = v5 * -2.0945383312209742e-06
  v7 = m + v6
  v8 = v * 4.090195943717845e-06
  v9 = v7 + v8
  v10 = square(v9)
  v16 = m + -2.572639569391793e-17
  v11 = sqrt(v16)
  v2 = lr / v11
  v = interp(g, v, 0.8999999761581421)
  update = v * v2
  return update, m, v
