"""Best program so far: candidate 122096, fitness 0.533531 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = arctanh(m)
  v = m / 0.9757274389266968
  m = min(10948593.0, g)
  m = g + v
  v = cube(v)
  m = interp(v, m, 0.8592175245285034)
  lr = lr / 0.908983588218689
  m = arctan(m)
  m = 1.0222469568252563 * m
  m = sin(m)
  m = clip(m, 1.3976290225982666)
  update = m * lr
  v = m - v
  v = arcsinh(m)
  return update, m, v
