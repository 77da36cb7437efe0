"""Best program so far: candidate 7900, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v7 = m * 0.017434386536478996
  v8 = g - v7
  v1 = abs(g)
  v10 = v7 + v1
  v9 = sqrt(g)
  v5 = v1 + 1.509999310655985e-05
  v6 = v + v
  v = interp(v1, v6, 0.4749999940395355)
  v11 = v7 * 51.8952522277832
  v13 = clip_by_global_norm(g, 0.00021387595916166902)
  v14 = g + v13
  v12 = v14 + v11
  m = interp(v12, m, -0.04999985545873642)
  v2 = m / v
  v15 = tanh(v2)
  update = v15 * lr
  return update, m, v
