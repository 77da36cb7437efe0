"""Best program so far: candidate 154880, fitness 0.0762697 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v27 = interp(w, 0.6802570819854736, g)
  v31 = arccosh(v)
  lr = cosh(-0.09180018305778503)
  v38 = arctan(v31)
  m = log1p(m)
  v41 = max(m, g)
  lr = cosh(v38)
  v39 = sign(g)
  v40 = interp(v41, lr, m)
  v = log(v39)
  v28 = eps()
  v = exp2(-1.349811315536499)
  lr = cosine_sim(v27, m)
  v27 = min(w, v40)
  v32 = log1p(lr)
  v44 = -0.45529475808143616 / v27
  v39 = tan(v39)
  v44 = cube(v44)
  v29 = square(v38)
  m = power(v32, v29)
  v40 = tan(v38)
  v27 = clip(0.5979640483856201, v31)
  m = arcsin(m)
  v39 = tan(v39)
  v33 = clip(v39, m)
  v = invert(g)
  v16 = clip(-1.6554845571517944, v33)
  m = log1p(v44)
  v35 = v16 - v33
  update = sqrt(v35)
  return update, m, v
