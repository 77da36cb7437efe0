"""Best program so far: candidate 106710, fitness 0.254072 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v40 = log10(lr)
  v = lr + m
  v29 = negative(m)
  v40 = reciprocal(0.006829473655670881)
  v27 = arctanh(1.2820076942443848)
  v25 = m * 0.8747497200965881
  m = v40 - v27
  v34 = exp2(v)
  v44 = tanh(v27)
  v31 = sign(-1.0806797742843628)
  v32 = arctanh(w)
  v26 = sqrt(lr)
  v30 = square(v29)
  v31 = clip(v25, 2.338327407836914)
  lr = cube(lr)
  m = g * lr
  v33 = v31 + m
  v29 = cos(v34)
  v25 = lr / v25
  m = min(v33, v34)
  v28 = reciprocal(g)
  v27 = pi()
  update = clip(m, 3.322976589202881)
  v35 = sign(v27)
  v33 = arctan(update)
  v37 = pi()
  v40 = exp10(v32)
  lr = reciprocal(-0.37183594703674316)
  v36 = sign(v33)
  v25 = reciprocal(1.2806531190872192)
  return update, m, v
