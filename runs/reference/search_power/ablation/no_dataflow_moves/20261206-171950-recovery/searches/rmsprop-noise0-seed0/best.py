"""Best program so far: candidate 174802, fitness 0.392009 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = min(g, 2.4816863536834717)
  m = m - -0.017719250172376633
  m = clip_by_global_norm(m, -20.123098373413086)
  m = m + 0.04407183825969696
  lr = lr * 2.3900253772735596
  m = arcsinh(m)
  m = tanh(m)
  m = -0.03348086401820183 + m
  update = m * lr
  return update, m, v
