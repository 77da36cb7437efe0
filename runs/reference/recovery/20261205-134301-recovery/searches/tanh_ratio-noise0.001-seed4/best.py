"""Best program so far: candidate 105960, fitness 0.0750584 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v34 = -1.0370396375656128 + g
  v34 = -2.7988979816436768 + v34
  v41 = g / v34
  lr = v41 * lr
  v = arctan(v)
  v32 = exp(v)
  v34 = negative(v34)
  v27 = reciprocal(v)
  v37 = interp(g, lr, v)
  v = log(lr)
  v40 = sign(v37)
  v31 = min(v27, v32)
  lr = arctanh(v)
  lr = min(lr, v31)
  v42 = arcsin(m)
  v29 = min(v31, v42)
  v = clip(v42, v41)
  v42 = 0.012934494763612747 / v40
  v28 = e()
  v15 = interp(-2.7385787963867188, v29, v34)
  v15 = v15 * v28
  v15 = 1.7833199501037598 - v15
  v39 = norm(v15)
  v12 = v39 - -842.8240356445312
  v41 = reciprocal(v29)
  v9 = eps()
  v = arcsin(v42)
  v4 = square(v12)
  update = v4 * v9
  m = sinh(lr)
  return update, m, v
