"""Best program so far: candidate 217714, fitness 0.410116 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = arctan(g)
  v28 = negative(lr)
  v26 = tanh(g)
  v35 = expm1(-0.6511330008506775)
  v42 = e()
  v29 = arcsin(v26)
  v30 = exp(lr)
  v33 = power(v35, v29)
  v = cosh(lr)
  v24 = v33 + g
  v27 = log(v24)
  v38 = v28 + 0.0954088494181633
  v34 = log10(v38)
  v35 = arctan(v27)
  v = cos(v35)
  v47 = sign(v35)
  v35 = arctan(lr)
  v32 = sign(g)
  v43 = clip(v32, lr)
  v35 = sqrt(v27)
  v26 = dot(w, v26)
  v40 = power(1.3937829732894897, v27)
  v39 = interp(v38, v33, lr)
  v31 = max(1.2603925466537476, v40)
  v37 = sqrt(w)
  v36 = v43 / v
  v24 = norm(v24)
  update = clip(v36, v31)
  return update, m, v
