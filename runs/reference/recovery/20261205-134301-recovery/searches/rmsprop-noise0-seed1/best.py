"""Best program so far: candidate 128268, fitness 0.43987 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v38 = sqrt(-1.2430989742279053)
  v31 = power(lr, w)
  v40 = sqrt(m)
  v35 = arccos(g)
  v37 = sinh(0.21639873087406158)
  v30 = global_norm(v40)
  v40 = clip(0.9397599697113037, v40)
  v47 = reciprocal(v35)
  v33 = arctanh(v47)
  v41 = dot(g, w)
  v34 = v * 5.176806449890137
  v47 = sinh(v37)
  m = power(-0.48969048261642456, m)
  v36 = max(v40, m)
  lr = sinh(lr)
  v = power(v40, v33)
  v28 = sqrt(v36)
  v42 = exp10(v41)
  v34 = v34 - v36
  v30 = arcsinh(0.9330401420593262)
  v32 = expm1(v31)
  v39 = min(-0.025520917028188705, v34)
  v39 = arcsin(v39)
  v26 = cosh(v34)
  lr = lr - v39
  v47 = log2(-0.349040150642395)
  v29 = min(v26, g)
  v22 = cbrt(v29)
  update = v22 * lr
  return update, m, v
