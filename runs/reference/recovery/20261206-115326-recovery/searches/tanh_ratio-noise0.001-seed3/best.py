"""Best program so far: candidate 2729, fitness 2.99927 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = exp2(w)
  v = interp(g, v, 0.8999975323677063)
  v5 = g * -1.2368757325020852e-06
  v7 = abs(g)
  m = interp(v7, m, 0.9499972462654114)
  v8 = v / m
  v15 = v8 / 0.9999847412109375
  v6 = v15 - v5
  v12 = square(v)
  v10 = v12 * 1.2242140634555199e-09
  v11 = v6 - v10
  v3 = tanh(v11)
  v13 = v6 * 1.2948659104949911e-06
  v14 = v3 + v13
  update = v14 * lr
  return update, m, v
