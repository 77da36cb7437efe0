"""Best program so far: candidate 197782, fitness 0.506703 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v41 = min(v, m)
  v36 = global_norm(g)
  v43 = eps()
  v39 = sqrt(v36)
  v47 = interp(v39, -40.39957046508789, lr)
  v33 = v * v
  v30 = log2(-0.5275428891181946)
  v37 = log(v33)
  v45 = sinh(4.820603370666504)
  v45 = v45 - v47
  v28 = tan(lr)
  v35 = v28 * v45
  v45 = v35 + -50.14048385620117
  lr = v45 - -97.63394927978516
  v26 = max(v37, m)
  v38 = expm1(g)
  v27 = exp(1.2508962154388428)
  v32 = tanh(v41)
  v = max(v26, v32)
  m = clip_by_global_norm(g, lr)
  v46 = exp(v43)
  v29 = sign(m)
  v29 = tanh(v29)
  v44 = m + v
  update = v44 + v29
  return update, m, v
