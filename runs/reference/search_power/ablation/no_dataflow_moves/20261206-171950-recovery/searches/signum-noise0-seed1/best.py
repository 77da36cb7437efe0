"""Best program so far: candidate 87191, fitness 0.335856 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = m * 0.9085773229598999
  v = m / 0.3077491223812103
  m = min(3.093122959136963, g)
  v = interp(v, v, g)
  lr = 1.1747157573699951 * lr
  m = m + v
  m = m / 3.087415933609009
  m = sin(m)
  update = m * lr
  v = m - v
  v = arcsinh(m)
  m = arcsin(m)
  return update, m, v
