"""Best program so far: candidate 4286, fitness 0.709535 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v6 = g - -2.4112548999255523e-05
  v2 = square(v6)
  v7 = square(g)
  m = interp(v7, m, 0.9991434812545776)
  v8 = sqrt(m)
  v9 = v2 / v8
  v12 = v8 * -0.007127868942916393
  v13 = v9 + v12
  v14 = v8 * -0.002406626008450985
  v15 = m + v14
  m = interp(v13, v15, 0.9999591708183289)
  v3 = sqrt(m)
  v4 = g / v3
  v = interp(v4, v, 0.8788067698478699)
  v = interp(v, v, 0.9998462796211243)
  update = v * lr
  return update, m, v
