"""Best program so far: candidate 2741, fitness 5.55854 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v8 = m * -0.9001590013504028
  v9 = g + v8
  v1 = square(v9)
  v = interp(v1, v, 0.9990003705024719)
  v2 = sqrt(v)
  v6 = g * 0.012324213050305843
  v7 = m + v6
  m = interp(g, v7, 0.9000001549720764)
  v3 = m / v2
  update = v3 * lr
  return update, m, v
