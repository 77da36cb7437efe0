"""Best program so far: candidate 17615, fitness 1.44397 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v4 = v * 0.26945096254348755
  v5 = m - v4
  v7 = m * -0.16897110641002655
  v8 = g + v7
  v9 = m * 0.015139508992433548
  v11 = v7 * -0.2136966586112976
  v = interp(v9, v, 0.9872331023216248)
  v12 = v9 + v
  v10 = v8 + v9
  v13 = v8 * -0.025433342903852463
  v14 = v10 + v13
  m = interp(v14, m, 0.9123694896697998)
  v1 = sign(m)
  v3 = abs(lr)
  update = v1 * v3
  return update, m, v
