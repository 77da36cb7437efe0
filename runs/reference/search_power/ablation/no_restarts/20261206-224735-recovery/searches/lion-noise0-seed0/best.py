"""Best program so far: candidate 32030, fitness 0.988939 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = w * 4.688635349273682
  v11 = g / m
  v1 = abs(v11)
  v16 = sqrt(v)
  v4 = v16 * 2.770774165661294e-10
  v8 = sqrt(v)
  v5 = v + v11
  v = interp(v11, v, 0.08333843946456909)
  v2 = v / m
  v9 = exp2(g)
  v12 = tanh(v)
  v13 = v12 * v12
  v14 = m + -0.17887166142463684
  v15 = v10 + v14
  v = interp(v5, v15, 0.01000489853322506)
  update = v12 * lr
  return update, m, v
