"""Best program so far: candidate 89678, fitness 0.0795905 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v27 = expm1(lr)
  m = min(v27, m)
  lr = log(m)
  v36 = tanh(lr)
  v23 = pi()
  lr = v + lr
  v38 = norm(g)
  v31 = square(0.5696589946746826)
  v28 = min(lr, 0.002584983827546239)
  v40 = clip(v38, v23)
  m = abs(lr)
  v34 = power(-0.22299425303936005, w)
  v43 = log10(0.002404780127108097)
  v41 = v43 + v38
  v = v / -0.18740960955619812
  v33 = sin(v)
  v18 = square(v28)
  v24 = v27 + v23
  v3 = interp(v18, v, -2857.68310546875)
  v41 = v33 + v41
  v32 = square(g)
  v35 = cbrt(-1.2697992324829102)
  v30 = v24 * v41
  m = negative(v36)
  v4 = eps()
  v = abs(v30)
  update = v3 * v4
  v29 = clip_by_global_norm(v, 1.3606407642364502)
  return update, m, v
