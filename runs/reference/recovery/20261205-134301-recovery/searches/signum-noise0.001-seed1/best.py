"""Best program so far: candidate 98699, fitness 0.237115 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v42 = abs(lr)
  m = v42 * m
  v33 = sinh(-1.5764905214309692)
  lr = max(lr, 0.6377310156822205)
  v43 = sign(g)
  v25 = log2(v43)
  v42 = max(m, v25)
  v = sinh(v)
  v31 = cos(v)
  v34 = sinh(lr)
  v30 = interp(v34, v42, 0.06916029751300812)
  v26 = exp2(v)
  v29 = log2(v26)
  v = cos(v26)
  v33 = dot(v29, w)
  v43 = 0.7132503986358643 / -0.7090827226638794
  v27 = cosh(v)
  v36 = interp(v25, -17.684158325195312, -2.823429822921753)
  m = log1p(w)
  m = clip_by_global_norm(v36, -25.98540687561035)
  v42 = exp(v34)
  v9 = g + v29
  v1 = tanh(v9)
  v = interp(0.029231175780296326, v27, v1)
  v34 = arctan(-0.8311378955841064)
  v33 = min(w, w)
  update = v1 * v30
  return update, m, v
