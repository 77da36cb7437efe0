"""Best program so far: candidate 210777, fitness 0.554182 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr / 0.0018012706423178315
  v = arctan(g)
  m = m * v
  v = interp(g, m, 0.7304024696350098)
  v = clip_by_global_norm(v, 467.1925048828125)
  m = square(v)
  v = clip(v, 0.005269944667816162)
  m = m - v
  m = interp(m, -1.7910490036010742, -12948255744.0)
  update = v * lr
  m = interp(m, m, g)
  return update, m, v
