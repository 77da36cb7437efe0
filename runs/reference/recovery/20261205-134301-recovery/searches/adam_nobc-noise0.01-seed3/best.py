"""Best program so far: candidate 196334, fitness 0.235047 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(-0.601070761680603, w, 1.3813486099243164)
  v28 = max(m, -0.9245442152023315)
  v43 = norm(-0.9603099226951599)
  v27 = clip_by_global_norm(g, 1.8070402145385742)
  lr = cbrt(lr)
  v34 = arctan(m)
  v32 = cbrt(g)
  v30 = negative(w)
  v27 = v32 * -0.2510177195072174
  lr = cos(-0.3802192211151123)
  v41 = abs(lr)
  lr = lr * m
  v31 = abs(v)
  v37 = log1p(v32)
  m = m * 0.8577806949615479
  m = tanh(m)
  v23 = log10(g)
  v42 = log(v37)
  v23 = cos(v34)
  v36 = v34 - v27
  v25 = arctan(v36)
  v35 = v34 / v28
  v29 = reciprocal(v)
  m = lr + v32
  v39 = exp(g)
  v26 = arcsinh(m)
  v38 = sign(v29)
  v40 = e()
  v33 = sqrt(v)
  update = clip_by_global_norm(v26, 18.662168502807617)
  return update, m, v
