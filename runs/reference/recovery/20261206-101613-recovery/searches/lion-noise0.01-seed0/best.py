"""Best program so far: candidate 11290, fitness 1.9995 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999994993209839)
  m = interp(v, m, -1.5137910850171465e-05)
  v8 = m * 7.780010491842404e-06
  v13 = square(v8)
  v9 = g + g
  m = interp(v9, m, 0.9000099897384644)
  v4 = sign(m)
  v1 = tanh(v4)
  v6 = w * 1.099988341331482
  v11 = v8 - 2.5742258003447205e-05
  v12 = v6 - v11
  v7 = v4 + v12
  v14 = v9 * 1.8098977534464211e-06
  v15 = v7 + v14
  v10 = v15 - w
  update = v10 * lr
  return update, m, v
