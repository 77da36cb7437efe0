"""Best program so far: candidate 233048, fitness 0.39542 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v34 = exp2(v)
  v29 = exp2(-0.2812840938568115)
  v40 = interp(g, m, lr)
  v31 = 0.25812745094299316 + w
  v39 = cosine_sim(v34, v40)
  m = power(m, -0.5251321196556091)
  v38 = -1.390020728111267 / v39
  v42 = sinh(g)
  v32 = power(lr, 4.396376132965088)
  v46 = clip(v, g)
  v43 = sin(lr)
  v44 = pi()
  v36 = min(v42, m)
  v = cbrt(v36)
  v37 = arccosh(v46)
  v30 = max(v32, v43)
  v41 = arctan(v40)
  v35 = tanh(0.7050283551216125)
  m = clip(0.8590676784515381, v37)
  v37 = abs(v36)
  v37 = clip(v42, v30)
  lr = cube(v30)
  v28 = v * lr
  v26 = exp10(v36)
  v = max(v46, v28)
  v27 = cbrt(v28)
  update = arcsin(v27)
  v40 = exp2(-0.27664831280708313)
  return update, m, v
