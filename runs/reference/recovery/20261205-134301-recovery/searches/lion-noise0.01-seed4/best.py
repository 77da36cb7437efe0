"""Best program so far: candidate 386235, fitness 0.242611 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v36 = log1p(-0.010830622166395187)
  v27 = log10(v36)
  v35 = sqrt(0.9208104610443115)
  v = m - lr
  v39 = negative(m)
  v44 = sin(v)
  v37 = g + v35
  v43 = sqrt(v36)
  lr = exp(0.01622278057038784)
  v28 = log(v)
  v38 = interp(v27, w, 1.1281569004058838)
  v32 = sin(g)
  v40 = negative(m)
  m = interp(v40, v32, w)
  v27 = sqrt(v28)
  v29 = clip_by_global_norm(m, lr)
  lr = power(v, 1.1954433917999268)
  v34 = norm(v29)
  m = interp(v36, v34, v29)
  v31 = arcsinh(lr)
  v41 = arcsin(v31)
  v33 = cbrt(v41)
  v5 = sign(g)
  v5 = tan(v5)
  v35 = negative(v41)
  lr = clip(v5, v33)
  update = cube(lr)
  v30 = norm(2.772251844406128)
  v42 = log1p(0.15060552954673767)
  update = arcsinh(update)
  return update, m, v
