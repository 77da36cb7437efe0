"""Best program so far: candidate 130987, fitness 0.199485 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v25 = interp(m, v, lr)
  v41 = tanh(0.5058397054672241)
  m = sin(g)
  v31 = exp(v25)
  v33 = v25 + g
  v38 = max(w, v)
  v29 = lr + 0.1643790900707245
  v37 = g / 2.4316396713256836
  v32 = arctanh(v37)
  v37 = clip(0.9526116847991943, v32)
  v38 = tan(v25)
  m = m / v37
  v30 = v37 + v38
  v26 = square(v29)
  v40 = cos(v26)
  lr = norm(v)
  v39 = square(m)
  v26 = power(v26, v26)
  v45 = min(0.9381071925163269, v25)
  v = v45 + g
  v32 = cos(v33)
  v28 = arctan(v33)
  lr = tan(v26)
  update = v26 * v28
  v8 = expm1(update)
  v38 = pi()
  update = clip(v8, 3.4992198944091797)
  m = lr * m
  v25 = clip_by_global_norm(v31, -3.2717223167419434)
  v25 = eps()
  return update, m, v
