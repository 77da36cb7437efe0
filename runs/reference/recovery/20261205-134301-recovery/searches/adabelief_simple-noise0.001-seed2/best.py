"""Best program so far: candidate 162356, fitness 0.118365 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v37 = reciprocal(v)
  m = -0.28638049960136414 + m
  v27 = arcsin(w)
  v46 = min(g, m)
  v42 = sign(g)
  lr = cube(lr)
  v38 = interp(v37, v27, v37)
  v37 = cosh(v37)
  m = exp10(v)
  v42 = clip(v42, lr)
  lr = arctanh(v42)
  v39 = cos(-0.14123108983039856)
  v27 = sinh(v37)
  v37 = abs(v38)
  v32 = interp(g, v38, -31.636932373046875)
  v33 = cube(5.57931661605835)
  v45 = max(v27, v32)
  v35 = cbrt(v45)
  v35 = max(v35, g)
  v34 = m + lr
  v28 = v42 * v33
  v51 = arccosh(v28)
  lr = log1p(v34)
  v = min(v46, lr)
  v31 = reciprocal(v35)
  lr = v31 - lr
  v44 = clip(lr, v51)
  v29 = power(v44, 2.9062790870666504)
  update = sqrt(v29)
  return update, m, v
