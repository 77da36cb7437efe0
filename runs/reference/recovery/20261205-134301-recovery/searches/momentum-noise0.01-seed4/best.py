"""Best program so far: candidate 350543, fitness 0.0899892 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v44 = sign(lr)
  lr = invert(lr)
  v32 = arcsinh(lr)
  v29 = log1p(v)
  v33 = sin(lr)
  v27 = cos(m)
  v36 = v27 / m
  v31 = exp(v36)
  lr = arccos(v32)
  lr = lr - v31
  lr = arcsin(lr)
  lr = min(lr, v)
  v32 = log1p(m)
  v28 = arcsin(m)
  v38 = exp2(-0.8508782982826233)
  v37 = min(0.25970566272735596, g)
  v35 = min(v37, -0.4812653660774231)
  v = power(v29, v28)
  v43 = clip(v37, lr)
  v39 = v43 - v28
  v32 = v35 * v
  v41 = arctan(v39)
  v46 = exp2(v41)
  update = g * v46
  v29 = cosh(v29)
  m = power(v41, 2.751920700073242)
  v34 = -0.40206679701805115 + lr
  return update, m, v
