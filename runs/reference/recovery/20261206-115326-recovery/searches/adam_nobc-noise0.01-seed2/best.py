"""Best program so far: candidate 8289, fitness 0.936572 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = v * 0.9884551763534546
  v14 = clip(v, -1.6232794523239136)
  v15 = v10 - g
  v11 = g - v14
  v1 = abs(v15)
  v8 = m + g
  v12 = m / 0.08256228268146515
  v13 = v1 + v12
  v9 = sqrt(v12)
  v16 = interp(0.0003980990732088685, v1, v9)
  v5 = arctan(v16)
  m = interp(v5, m, 1.0185860395431519)
  m = interp(v1, m, 0.9848384857177734)
  v2 = lr / m
  v = interp(v11, v, 0.9476985931396484)
  update = v * v2
  return update, m, v
