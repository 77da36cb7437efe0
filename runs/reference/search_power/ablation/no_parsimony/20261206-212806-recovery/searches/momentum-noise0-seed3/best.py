"""Best program so far: candidate 432, fitness 3.8395 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = abs(m)
  v13 = clip(w, -130476.71875)
  v14 = m + v13
  m = interp(v6, v14, -4.011124134063721)
  v7 = w / m
  v12 = sqrt(w)
  v9 = v12 * -803208.625
  v11 = v + v7
  v10 = v11 + v9
  v2 = v10 * 0.00032595591619610786
  v4 = v * 4058.769775390625
  v15 = exp(v2)
  v5 = v15 + v4
  v3 = v + v5
  v = interp(g, v3, 0.00022169352450873703)
  update = v * lr
  return update, m, v
