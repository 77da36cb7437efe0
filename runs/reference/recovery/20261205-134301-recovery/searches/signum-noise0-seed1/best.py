"""Best program so far: candidate 98964, fitness 0.237123 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v42 = abs(lr)
  m = v42 * m
  lr = max(lr, 0.6377310156822205)
  v32 = tanh(-1.6053346395492554)
  v43 = sign(g)
  v25 = log2(v43)
  v43 = norm(v)
  v42 = max(m, v25)
  v = sinh(v)
  v31 = cos(v)
  v34 = sinh(lr)
  v28 = exp10(w)
  v30 = interp(v34, v42, 0.06916029751300812)
  v26 = exp2(v)
  v29 = log2(v26)
  v = cos(v26)
  v33 = dot(v29, w)
  v27 = cosh(v)
  v36 = interp(v25, -17.684158325195312, -2.636998414993286)
  v34 = v31 / 2.0768818855285645
  m = log1p(w)
  m = clip_by_global_norm(v36, -25.98540687561035)
  v42 = exp(v34)
  v9 = g + v29
  v1 = tanh(v9)
  v = interp(0.029231175780296326, v27, v1)
  v34 = arctan(-0.6077917218208313)
  v33 = min(w, w)
  update = v1 * v30
  return update, m, v
