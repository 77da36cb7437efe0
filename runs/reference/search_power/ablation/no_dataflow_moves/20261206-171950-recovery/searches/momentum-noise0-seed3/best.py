"""Best program so far: candidate 318189, fitness 0.0546674 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  update = g * lr
  update = update * 0.9253828525543213
  update = interp(update, lr, 0.007507842965424061)
  update = update * 1.322190523147583
  return update, m, v
