"""Best program so far: candidate 119573, fitness 0.0898249 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = reciprocal(v)
  v28 = clip(m, -1.1125386953353882)
  lr = log1p(v)
  v36 = cos(-1.6013778448104858)
  v39 = lr * -167.51290893554688
  v41 = norm(v28)
  v29 = v39 - m
  v44 = norm(lr)
  m = arccos(g)
  v = v29 + v29
  v37 = pi()
  v28 = sign(0.07414895296096802)
  v37 = dot(v39, lr)
  v35 = arcsinh(lr)
  v40 = cosine_sim(v44, v35)
  lr = g / v36
  lr = lr - v
  v26 = arcsinh(g)
  v39 = exp10(v36)
  v22 = square(lr)
  v42 = cbrt(0.24727694690227509)
  v3 = norm(v22)
  v33 = min(v22, v3)
  v34 = v3 + -2958470.5
  v44 = cube(-0.9874287843704224)
  v27 = arctanh(-0.23343993723392487)
  v30 = log1p(m)
  v4 = eps()
  update = v34 * v4
  v32 = interp(v34, v4, v37)
  return update, m, v
