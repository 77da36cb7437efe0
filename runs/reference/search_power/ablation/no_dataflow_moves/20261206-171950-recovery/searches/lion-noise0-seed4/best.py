"""Best program so far: candidate 331104, fitness 0.984625 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = sin(g)
  v = arctan(g)
  v = interp(g, m, 0.017781225964426994)
  m = min(v, 163.0283966064453)
  v = v + 0.04665699228644371
  v = tanh(g)
  m = 55.66514205932617 * m
  v = interp(m, g, 0.9981569051742554)
  v = sign(v)
  update = v * lr
  return update, m, v
