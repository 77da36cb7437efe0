"""Best program so far: candidate 152197, fitness 0.0737974 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v38 = expm1(w)
  v28 = square(w)
  v40 = invert(v38)
  v27 = log2(lr)
  v31 = cbrt(v40)
  v31 = v31 / v27
  v = interp(m, v, lr)
  v43 = sin(0.2548467814922333)
  v30 = interp(v27, 0.31012603640556335, v27)
  v37 = 0.2799256145954132 - v31
  v = arcsinh(v)
  m = m / lr
  v42 = exp10(v)
  v = expm1(v)
  v40 = sqrt(1.5420169830322266)
  v35 = min(v42, g)
  v42 = log10(v37)
  v36 = v35 - v
  v32 = arctan(1.617777943611145)
  v32 = min(v42, v32)
  v25 = m - v32
  v30 = log10(v30)
  m = min(20.256393432617188, v36)
  v26 = arcsinh(v35)
  v = sqrt(v25)
  v34 = -0.16241391003131866 - 3.6846585273742676
  v41 = reciprocal(v37)
  update = clip_by_global_norm(v26, 10.86319637298584)
  v29 = log1p(v27)
  return update, m, v
