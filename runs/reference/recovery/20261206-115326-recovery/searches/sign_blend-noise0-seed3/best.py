"""Best program so far: candidate 562, fitness 3.84258 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(g)
  v10 = g * -0.0018547666259109974
  v11 = m + v10
  v4 = abs(v11)
  v9 = cbrt(v2)
  m = interp(v9, v4, -4.388627683482582e-09)
  v5 = g / 0.00042480623233132064
  v8 = square(m)
  v6 = v8 * v5
  v = interp(v6, v, 0.7999234199523926)
  m = interp(v, m, 0.9997875690460205)
  update = m * lr
  return update, m, v
