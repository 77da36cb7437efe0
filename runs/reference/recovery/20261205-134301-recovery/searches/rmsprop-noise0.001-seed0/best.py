"""Best program so far: candidate 448715, fitness 0.287444 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v36 = norm(0.5063024163246155)
  v27 = square(v36)
  v36 = sqrt(g)
  v35 = v36 * -0.7978870272636414
  v42 = sign(1.495097041130066)
  v40 = reciprocal(0.46772822737693787)
  v30 = tan(lr)
  v40 = arcsin(v40)
  v44 = 0.33841219544410706 / lr
  v42 = clip(0.10994362086057663, w)
  v29 = exp(-1.3562182188034058)
  v28 = cosh(-0.08434222638607025)
  v25 = log1p(v42)
  v34 = square(g)
  v24 = arctanh(v40)
  lr = negative(-0.5804387927055359)
  v22 = tan(v42)
  v26 = negative(v29)
  v33 = cos(v30)
  v47 = power(-1.2020037174224854, v42)
  v30 = v27 + v36
  v31 = exp10(-0.42008066177368164)
  v24 = norm(-0.3272300660610199)
  v23 = negative(w)
  v = cube(v34)
  v38 = sign(g)
  v38 = max(v38, g)
  update = clip(v38, 1.1972359418869019)
  v32 = update / update
  return update, m, v
