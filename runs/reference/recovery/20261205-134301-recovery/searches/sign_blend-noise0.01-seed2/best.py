"""Best program so far: candidate 3217500, fitness 0.416438 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = sinh(0.46110862493515015)
  v43 = interp(m, g, v)
  v29 = v43 + -1.0506250858306885
  v38 = interp(0.004159214906394482, lr, 1.436816692352295)
  v40 = e()
  v35 = v29 * v38
  v37 = interp(v29, 0.09592079371213913, v40)
  v = cos(m)
  v31 = tan(v)
  v46 = sin(v40)
  v42 = sqrt(v38)
  v30 = abs(1.0109946727752686)
  v46 = log(v42)
  v28 = power(lr, v40)
  v35 = interp(v29, v35, v40)
  lr = clip(v28, v46)
  v33 = min(v31, lr)
  v = cbrt(v33)
  m = v43 - v
  v39 = reciprocal(v46)
  v41 = global_norm(w)
  v36 = sign(g)
  v33 = norm(0.1990976780653)
  v27 = clip(v36, v28)
  v27 = tan(v27)
  v27 = max(v27, v35)
  update = cbrt(v27)
  v34 = sin(v37)
  return update, m, v
