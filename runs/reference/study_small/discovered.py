"""Best program so far: candidate 795, fitness 0.314449 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  g2 = square(g)
  v23 = arccosh(-0.28427255153656006)
  lr = arccos(m)
  v10 = arccos(v)
  v10 = cos(g)
  v30 = abs(-1.2672064304351807)
  m = interp(g, m, 0.33268678188323975)
  v29 = cube(m)
  v = interp(g2, v, 0.44595444202423096)
  v25 = clip(m, m)
  v20 = reciprocal(lr)
  v21 = clip(-0.7435259819030762, g)
  v20 = sign(-0.9526949524879456)
  v28 = log2(0.9760491251945496)
  sqrt_v = sqrt(v)
  v18 = tanh(0.32791703939437866)
  update = m / sqrt_v
  v26 = eps()
  update = update + v18
  v16 = arctan(-0.15346500277519226)
  lr = lr * 0.002949940739199519
  v19 = negative(m)
  v17 = log2(g)
  update = update * lr
  return update, m, v
