"""Best program so far: candidate 27349, fitness 1.91993 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v13 = g / -0.44382205605506897
  v14 = v13 + v13
  v15 = log(v14)
  v12 = arccosh(g)
  v5 = v14 * 0.011552107520401478
  v6 = m + v5
  v = interp(m, v6, 0.4223080277442932)
  v7 = m * -0.22393237054347992
  v9 = v6 * 0.48906803131103516
  v10 = g + v9
  v8 = v10 + v7
  v = interp(g, v, 0.8070001006126404)
  v4 = v + v8
  m = interp(v4, v, 0.6595590114593506)
  update = m * lr
  update = update + update
  return update, m, v
