"""Best program so far: candidate 18421, fitness 1.02206 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v6 = sqrt(v)
  v7 = clip(-1.4272538423538208, m)
  v11 = v7 - -1.7048224210739136
  v12 = v1 * v11
  v = interp(v12, v, 0.9999970197677612)
  v9 = w * -0.05637899786233902
  v10 = v + v9
  v15 = v11 / -74012.15625
  v17 = sqrt(v)
  v16 = v17 + v
  v2 = lr / v17
  m = interp(g, m, 0.9001380205154419)
  v13 = v2 * -0.07939271628856659
  v14 = clip(v2, v13)
  update = m * v14
  return update, m, v
