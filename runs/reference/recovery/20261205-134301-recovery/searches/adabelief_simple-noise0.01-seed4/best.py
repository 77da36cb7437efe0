"""Best program so far: candidate 208814, fitness 0.190715 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = sin(g)
  v42 = sqrt(g)
  v46 = expm1(v)
  lr = square(lr)
  v45 = sqrt(lr)
  v33 = arctan(g)
  v44 = cbrt(g)
  v26 = arcsinh(m)
  v27 = cosh(v26)
  v28 = dot(v26, v46)
  v31 = sinh(lr)
  v23 = 0.2900547683238983 * v31
  v34 = v31 - g
  v32 = v26 + v44
  v40 = arctan(v34)
  m = min(v32, 13782.6884765625)
  v39 = reciprocal(v31)
  v41 = lr - lr
  v38 = sqrt(0.014235245063900948)
  v33 = dot(w, v46)
  v37 = sin(v28)
  v32 = log1p(m)
  v29 = sinh(v32)
  v46 = exp10(v23)
  v38 = v38 * v40
  v36 = v29 + v38
  v35 = expm1(v36)
  v30 = arctanh(v35)
  update = v30 * v23
  return update, m, v
