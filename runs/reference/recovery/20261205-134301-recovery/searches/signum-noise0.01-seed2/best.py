"""Best program so far: candidate 443703, fitness 0.183043 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = log(m)
  v38 = negative(0.14688211679458618)
  v41 = exp10(-1.3598811626434326)
  lr = cbrt(lr)
  v31 = cube(m)
  m = cosine_sim(w, v)
  v36 = lr * v41
  v32 = global_norm(lr)
  v34 = arctanh(v)
  lr = -0.41215980052948 - v
  v28 = cosh(-0.9119046926498413)
  v35 = log2(v32)
  v29 = v34 / v35
  v43 = pi()
  v44 = exp2(v36)
  v33 = cosh(v43)
  v26 = power(0.014688157476484776, v31)
  v47 = clip(v29, v26)
  v27 = g + v47
  v30 = cos(v27)
  v = sign(v27)
  v37 = power(v, v38)
  v27 = interp(-1.1196417808532715, v47, v29)
  m = negative(v)
  v20 = exp10(m)
  v40 = sign(v29)
  v39 = -0.08204739540815353 - 0.9735475778579712
  v31 = e()
  m = v30 - 0.27771955728530884
  update = power(0.05397660285234451, v20)
  return update, m, v
