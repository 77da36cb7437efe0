"""Best program so far: candidate 538, fitness 0.659308 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(v, v, 0.9999933838844299)
  v7 = m * -0.4308658838272095
  v10 = square(g)
  v = interp(v10, v, 0.9893052577972412)
  v14 = w * -0.011989500373601913
  v15 = v + v14
  v11 = sqrt(v15)
  v12 = g / v11
  v8 = v12 + v7
  v1 = abs(v8)
  v = interp(v1, v, 0.9831043481826782)
  v2 = lr / v
  v5 = m * 0.7953083515167236
  v6 = g + v5
  m = interp(v6, m, 0.5350773930549622)
  update = m * v2
  return update, m, v
