"""Best program so far: candidate 86368, fitness 0.675876 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = tanh(g)
  v = sign(g)
  v = interp(m, g, 0.09996163845062256)
  m = v - m
  m = v - -1.6972708181128837e-05
  v = sign(m)
  update = v * lr
  v = abs(m)
  return update, m, v
