"""Best program so far: candidate 1623, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v3 = exp2(v)
  m = interp(g, m, 0.9978421330451965)
  v6 = abs(m)
  v = interp(v6, v, -3.645147794717474e-10)
  v9 = v * 4.3435591123852646e-08
  v11 = abs(v9)
  m = interp(v11, m, 0.9019449949264526)
  v10 = m + m
  v7 = v10 / v
  v1 = sign(v7)
  v2 = arcsinh(v3)
  update = v1 * lr
  v4 = arcsin(lr)
  return update, m, v
