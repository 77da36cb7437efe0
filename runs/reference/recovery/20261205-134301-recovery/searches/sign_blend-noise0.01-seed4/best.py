"""Best program so far: candidate 159842, fitness 0.55662 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v39 = expm1(lr)
  v33 = v + lr
  v46 = pi()
  v39 = square(v39)
  v = log(0.9172435402870178)
  v = v * g
  v36 = negative(1.3760061264038086)
  lr = log1p(v39)
  v31 = sinh(v39)
  v40 = log2(lr)
  v32 = arcsin(m)
  v42 = v40 + v31
  lr = v42 - -67.96937561035156
  v41 = g * -0.7210272550582886
  v25 = abs(v)
  v35 = v25 + v33
  v34 = reciprocal(v25)
  v37 = sign(g)
  v28 = exp2(v36)
  v37 = v37 / 0.012035135179758072
  v44 = v39 + v39
  v29 = log1p(v40)
  v = expm1(m)
  m = clip_by_global_norm(g, lr)
  lr = sin(v42)
  v38 = clip(v37, v35)
  v30 = -3.4117984771728516 * v25
  v43 = log(v25)
  update = v32 + v38
  return update, m, v
