"""Best program so far: candidate 569549, fitness 0.276794 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = invert(m)
  m = min(m, v)
  v34 = reciprocal(m)
  v36 = log1p(g)
  v26 = sign(w)
  v33 = cube(v36)
  v36 = sqrt(v26)
  v29 = arctanh(v33)
  v38 = 0.44112247228622437 + v26
  v32 = exp2(v29)
  v44 = expm1(v)
  v = max(v44, v32)
  v40 = exp10(-1.1335991621017456)
  v33 = arctan(v33)
  v42 = pi()
  v43 = exp2(v44)
  v35 = exp10(v32)
  v41 = arctan(v35)
  v44 = sinh(v40)
  m = min(v34, v41)
  v27 = arcsinh(0.17115013301372528)
  v47 = max(v29, 0.2146855890750885)
  v39 = cosine_sim(v34, v47)
  v31 = v44 * m
  v28 = sign(v29)
  v45 = power(-0.09499283134937286, v38)
  v30 = v * v31
  m = interp(v30, lr, v28)
  update = clip(m, 0.8890732526779175)
  return update, m, v
