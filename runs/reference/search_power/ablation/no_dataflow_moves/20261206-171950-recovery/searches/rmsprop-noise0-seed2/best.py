"""Best program so far: candidate 217020, fitness 0.555973 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = lr / 0.00013257244427222759
  v = arctan(g)
  m = m * v
  v = interp(g, m, 0.9817460179328918)
  v = clip_by_global_norm(v, -31.621870040893555)
  m = square(v)
  v = clip(v, 0.00047730363439768553)
  m = m - v
  m = interp(m, -0.010935420170426369, -1190931202048.0)
  v = v * 0.8170465230941772
  update = v * lr
  return update, m, v
