"""Best program so far: candidate 586, fitness 0.0277068 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v18 = cosh(-0.6129702925682068)
  v17 = cos(1.718894362449646)
  m = arcsin(g)
  v14 = exp10(g)
  g2 = square(w)
  v16 = abs(v14)
  v17 = eps()
  v10 = cos(-0.2897627055644989)
  v15 = pi()
  v = interp(v17, v, 1.3060057163238525)
  sqrt_v = sqrt(v14)
  v11 = clip(v15, w)
  update = m / sqrt_v
  v10 = min(g, g)
  v13 = sqrt(g2)
  update = m * sqrt_v
  return update, m, v
