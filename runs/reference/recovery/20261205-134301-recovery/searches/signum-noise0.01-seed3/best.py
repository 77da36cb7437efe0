"""Best program so far: candidate 262443, fitness 0.0886004 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v28 = arccosh(m)
  v30 = square(1.2963361740112305)
  v27 = max(v30, v28)
  v34 = tanh(w)
  v33 = g / lr
  v34 = exp2(v28)
  v29 = cosh(v27)
  v43 = g + 0.23416955769062042
  v40 = clip(1.3790004253387451, v28)
  v34 = log2(0.4380820095539093)
  v36 = -0.09551499783992767 + v33
  v23 = arcsinh(v36)
  v28 = square(m)
  v44 = reciprocal(-0.32227250933647156)
  lr = arccosh(v30)
  v37 = v44 - v43
  v34 = reciprocal(v34)
  v = v43 * 0.9055579304695129
  v38 = cosh(v23)
  v35 = log10(v36)
  v39 = log2(m)
  v26 = reciprocal(v38)
  v32 = arcsinh(v26)
  v31 = arcsinh(v32)
  v42 = exp10(v30)
  v30 = dot(v36, w)
  update = v * v31
  return update, m, v
