"""Best program so far: candidate 186542, fitness 0.517881 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v39 = arcsinh(v)
  v = arctanh(v)
  v35 = expm1(1.4348219633102417)
  v34 = eps()
  v43 = -2.8198535442352295 / v
  v37 = sqrt(g)
  v29 = arcsin(g)
  v26 = sinh(v37)
  lr = max(lr, m)
  m = log10(g)
  m = sinh(m)
  v44 = cube(0.954197108745575)
  v = m * lr
  v41 = max(v, 0.03710728883743286)
  lr = lr + v41
  v31 = -0.2605590522289276 * v35
  v33 = exp(m)
  v28 = arctan(m)
  v = cos(v28)
  v45 = clip_by_global_norm(w, 0.0010256263194605708)
  m = clip(v41, v43)
  v42 = v28 + 1.103667974472046
  v32 = sign(g)
  v26 = cosh(v33)
  v30 = cube(v)
  v36 = v32 / v30
  v38 = sign(v33)
  update = clip(v36, lr)
  return update, m, v
