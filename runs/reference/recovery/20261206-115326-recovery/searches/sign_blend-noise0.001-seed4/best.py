"""Best program so far: candidate 1094, fitness 3.00173 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = sign(g)
  v3 = sign(v1)
  v4 = g * 0.5000166893005371
  v = interp(v4, v, 0.8000040650367737)
  v5 = v3 + v
  update = v5 * lr
  update = update / 1.0000077486038208
  return update, m, v
