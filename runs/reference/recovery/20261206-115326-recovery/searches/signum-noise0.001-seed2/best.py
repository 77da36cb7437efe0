"""Best program so far: candidate 589, fitness 3.00329 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = lr / -1.0000001192092896
  v5 = abs(g)
  v11 = tanh(m)
  v6 = g / v11
  v3 = v6 * -17282058.0
  v8 = clip(v6, -0.0003113507991656661)
  v9 = v + v8
  v4 = v9 + v3
  v12 = exp(g)
  v = interp(v11, v4, 0.8999857306480408)
  v10 = sign(v)
  update = v10 * v1
  return update, m, v
