"""Best program so far: candidate 170059, fitness 0.284186 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v44 = arcsin(lr)
  v43 = power(w, v44)
  v35 = eps()
  v43 = lr / m
  v = sinh(v44)
  v36 = power(v44, v)
  v32 = cube(m)
  v28 = square(lr)
  v45 = log10(-2.5948991775512695)
  v38 = cube(v28)
  v = v36 + v32
  v38 = sinh(v38)
  v39 = tanh(v)
  v25 = m * 0.8919990658760071
  v = max(v, -1.8483701944351196)
  v34 = exp2(v)
  v31 = clip(v25, 2.554983615875244)
  m = g * v38
  v25 = log1p(m)
  v37 = max(-0.1474248319864273, 2.0689282417297363)
  v40 = exp2(v34)
  v32 = square(v)
  v33 = v31 + m
  m = min(v33, v34)
  v = abs(w)
  v46 = square(0.6543174386024475)
  v39 = cosh(v44)
  update = clip(m, 3.5203168392181396)
  v = sign(v32)
  return update, m, v
