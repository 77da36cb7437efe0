"""Best program so far: candidate 1049, fitness 1.99925 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(v)
  m = interp(g, m, 0.8892002701759338)
  v3 = arcsin(m)
  v5 = v * 0.007674570195376873
  v6 = v3 + v5
  m = interp(v, m, 0.9025625586509705)
  v = interp(v6, m, 0.9987828731536865)
  v4 = sign(v)
  update = v4 * lr
  return update, m, v
