"""Best program so far: candidate 115854, fitness 0.387387 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v35 = -0.7067072987556458 * 1.076045036315918
  v28 = min(v35, 0.49520257115364075)
  m = 0.26597389578819275 * m
  v = power(v, lr)
  v38 = log(g)
  v = v / lr
  v36 = min(v35, m)
  m = clip(m, v35)
  v = log1p(v)
  v34 = v * 16.078628540039062
  lr = sinh(lr)
  v27 = interp(m, v34, -0.27579569816589355)
  v32 = lr + v34
  v26 = arctanh(g)
  lr = sinh(lr)
  v31 = v * -0.6474865674972534
  m = arctan(v27)
  v27 = sinh(v27)
  v27 = square(v27)
  v30 = arcsinh(-0.019983330741524696)
  v = power(m, v26)
  v37 = -0.07590389996767044 + lr
  m = log10(v27)
  v29 = min(v32, g)
  v30 = sqrt(v28)
  v22 = cbrt(v29)
  v33 = norm(-0.9794560670852661)
  v32 = cbrt(v32)
  update = v22 * v37
  v35 = cube(v31)
  return update, m, v
