"""Best program so far: candidate 5816, fitness 0.987138 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = g * 23165.43359375
  v8 = arctan(v2)
  v12 = v * -155.91400146484375
  v13 = v8 + v12
  v = interp(v13, v, 0.9936304688453674)
  v15 = arcsin(v)
  v9 = sqrt(v)
  v10 = v2 / v9
  m = interp(v10, m, 0.9899973273277283)
  v14 = exp(g)
  v6 = min(v14, 0.07129675149917603)
  v7 = v2 + v6
  v3 = m + v7
  v5 = arcsin(v3)
  v1 = arctan(v5)
  update = v1 * lr
  return update, m, v
