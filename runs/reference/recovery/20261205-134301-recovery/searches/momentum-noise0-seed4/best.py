"""Best program so far: candidate 348222, fitness 0.0934688 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v30 = sin(lr)
  v43 = cbrt(g)
  lr = sin(v30)
  v31 = pi()
  v38 = power(2.414438486099243, v30)
  v34 = v43 / lr
  v43 = m + -0.7091073989868164
  v28 = square(lr)
  v37 = min(0.37039437890052795, v34)
  v32 = cosh(v28)
  v33 = reciprocal(m)
  v24 = log(w)
  v29 = sign(w)
  v27 = tan(1.50246262550354)
  v22 = sin(v38)
  v36 = arccosh(v30)
  v39 = v37 - m
  v41 = arctan(v39)
  v44 = sinh(v41)
  v42 = cbrt(v44)
  v26 = sinh(v39)
  v25 = negative(v26)
  v46 = exp2(v42)
  v45 = tanh(v30)
  v40 = v43 + v31
  v42 = eps()
  update = g * v46
  v35 = v36 - v28
  m = power(v41, 4.455174446105957)
  v45 = min(0.4918169379234314, v35)
  return update, m, v
