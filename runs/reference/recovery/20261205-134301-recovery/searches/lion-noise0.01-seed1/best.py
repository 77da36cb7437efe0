"""Best program so far: candidate 362228, fitness 0.262534 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v37 = log1p(-0.533302366733551)
  v37 = expm1(v37)
  v45 = invert(0.7133936285972595)
  v40 = clip(g, -0.0029360686894506216)
  v49 = sqrt(g)
  v47 = g - v49
  v46 = min(2.5034360885620117, w)
  v44 = cosine_sim(w, g)
  v49 = cube(v)
  v31 = square(-0.15849632024765015)
  v41 = cosh(v44)
  v27 = sign(g)
  v42 = interp(v31, 1.5592011213302612, g)
  v34 = arctanh(v42)
  v39 = lr * v34
  v38 = cbrt(v39)
  v29 = max(-1.5754835605621338, -0.5465679168701172)
  v33 = negative(v38)
  v45 = min(0.43359166383743286, v29)
  v32 = interp(v27, v33, v33)
  v36 = tanh(v32)
  v30 = arcsin(lr)
  v35 = exp(v36)
  v16 = sign(g)
  v28 = min(v35, v30)
  lr = v36 * v28
  v43 = v16 * lr
  update = arctan(v43)
  return update, m, v
