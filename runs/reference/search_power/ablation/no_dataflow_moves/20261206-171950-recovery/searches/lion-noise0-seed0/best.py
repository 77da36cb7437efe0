"""Best program so far: candidate 133455, fitness 0.169654 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = m - 0.015139208175241947
  m = tanh(g)
  v = v + g
  m = v + m
  m = 0.05640598386526108 + m
  v = arctan(m)
  m = m / 1.9047759771347046
  m = v / 1.2612742185592651
  v = interp(m, w, 0.07083286345005035)
  update = v * lr
  return update, m, v
