"""Best program so far: candidate 137658, fitness 0.159453 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = exp2(0.6460759043693542)
  m = cosh(lr)
  v38 = power(lr, m)
  v44 = reciprocal(g)
  v33 = log2(g)
  v28 = clip_by_global_norm(w, -1.568025827407837)
  v27 = sign(v44)
  v29 = min(w, lr)
  v47 = square(v38)
  v42 = v47 * v47
  v47 = tan(v47)
  m = 1.5886073112487793 * v
  v36 = square(v42)
  v47 = power(v36, v47)
  m = v27 * m
  v = min(m, -0.10537271946668625)
  v32 = arctanh(v47)
  v31 = log(m)
  lr = -0.19381488859653473 + lr
  v40 = sign(g)
  v33 = sinh(0.050948791205883026)
  v44 = clip_by_global_norm(v31, v42)
  v30 = tanh(v40)
  update = v32 * v
  v37 = sinh(lr)
  update = clip(v37, update)
  update = clip(v40, update)
  v28 = pi()
  v36 = log2(v37)
  v32 = square(v32)
  return update, m, v
