"""Best program so far: candidate 425, fitness 3.4204 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(g)
  v4 = sqrt(m)
  v9 = cbrt(v2)
  m = interp(v9, v4, -0.0016865050420165062)
  v5 = g * 273.6834411621094
  v8 = square(m)
  v6 = v8 + v5
  v = interp(v6, v, 0.8000261783599854)
  v = interp(v, v, 0.9761926531791687)
  m = interp(v, m, 0.9981725215911865)
  update = m * lr
  return update, m, v
