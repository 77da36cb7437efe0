"""Best program so far: candidate 33553, fitness 0.0352354 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  g2 = square(g)
  v36 = arcsin(v)
  v = tan(v36)
  v30 = log2(v)
  m = sinh(m)
  v21 = arctanh(m)
  v26 = interp(w, m, lr)
  v37 = power(0.10112804919481277, 0.288419246673584)
  v26 = exp10(g)
  lr = invert(v21)
  v34 = power(m, 0.7646903991699219)
  m = interp(g, v21, 0.7436158657073975)
  v21 = sqrt(v36)
  v = interp(g2, v, 0.999)
  sqrt_v = sqrt(v)
  v32 = exp(g2)
  v24 = sin(v34)
  v28 = exp(v24)
  v = tan(v)
  v35 = arcsin(v)
  update = m / sqrt_v
  v31 = exp(-0.90092533826828)
  lr = lr * 0.004797509405761957
  v33 = cosh(v32)
  v38 = sin(-1.4073699712753296)
  v32 = v36 / 1.1558321714401245
  m = arcsin(m)
  update = update * lr
  v39 = log(v33)
  v26 = arcsinh(0.04785388708114624)
  return update, m, v
