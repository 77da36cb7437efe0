"""Best program so far: candidate 895, fitness 0.984609 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.9000020623207092)
  m = interp(g, v, 0.9000063538551331)
  v1 = cbrt(m)
  v4 = sign(v1)
  update = v4 * lr
  return update, m, v
