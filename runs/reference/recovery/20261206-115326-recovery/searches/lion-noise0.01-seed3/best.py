"""Best program so far: candidate 2485, fitness 1.99929 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 0.9000048637390137)
  v7 = m * -8.033467935320004e-08
  v8 = m + v7
  v = interp(g, m, 8.881298474427979e-10)
  v = interp(v, m, 0.9000166058540344)
  v3 = cbrt(v)
  v6 = sign(v)
  v15 = sqrt(v3)
  v10 = v15 * -0.00011592650844249874
  v14 = square(v10)
  v11 = v10 + v14
  v16 = cube(v6)
  v2 = v16 - v11
  v12 = w * 0.10007869452238083
  v13 = v2 + v12
  update = v13 * lr
  return update, m, v
