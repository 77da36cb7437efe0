"""Best program so far: candidate 339706, fitness 0.264714 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v49 = log2(lr)
  v49 = e()
  v34 = cube(w)
  v = log1p(g)
  v29 = interp(2.7013816833496094, v34, 1.0477052927017212)
  v47 = log1p(-0.6822319030761719)
  v38 = negative(0.2173541784286499)
  v41 = log1p(2.1410489082336426)
  v28 = min(v47, v29)
  v30 = tanh(v)
  m = arcsinh(w)
  m = sign(g)
  v49 = clip(lr, v30)
  v38 = reciprocal(v47)
  v39 = min(v29, v)
  v39 = arcsin(v39)
  v45 = interp(v28, m, 3.573155641555786)
  v33 = v30 * v39
  v40 = norm(lr)
  v42 = max(v33, v45)
  v31 = exp10(v29)
  v36 = tanh(v42)
  v48 = interp(-0.5327714681625366, v41, v47)
  v40 = eps()
  v32 = tan(lr)
  lr = v36 * v32
  v43 = m * lr
  update = arctan(v43)
  v42 = arcsinh(v30)
  return update, m, v
