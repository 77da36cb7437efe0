"""Best program so far: candidate 13694, fitness 1.83738 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999908566474915)
  v4 = sign(v)
  v5 = v4 + -0.0001817643060348928
  v6 = abs(v5)
  v = interp(v6, v, 1.0)
  m = interp(g, v, 0.8998637199401855)
  v1 = sign(m)
  v8 = w * 0.09999899566173553
  v9 = v1 + v8
  update = v9 * lr
  return update, m, v
