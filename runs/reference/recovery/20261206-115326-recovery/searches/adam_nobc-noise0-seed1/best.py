"""Best program so far: candidate 8963, fitness 1.31033 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = sin(v)
  v11 = v9 - m
  v12 = abs(v11)
  v7 = v / -0.029558101668953896
  v8 = clip(g, v7)
  v15 = m * 0.002380790887400508
  v16 = g + v
  v13 = g / -0.7880530953407288
  v14 = v8 + v13
  v1 = abs(v14)
  v5 = abs(v1)
  v = interp(v1, v, 0.9859520792961121)
  v10 = m / 1.0479001998901367
  m = interp(g, v10, 0.942119300365448)
  v2 = m / v
  update = v2 * lr
  return update, m, v
