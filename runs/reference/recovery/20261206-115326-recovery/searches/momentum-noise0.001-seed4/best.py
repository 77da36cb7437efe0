"""Best program so far: candidate 280, fitness 3.00173 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = v * 0.9000004529953003
  v3 = g + v2
  v = interp(v3, v, 4.092463768756716e-06)
  update = v * lr
  return update, m, v
