"""Best program so far: candidate 8730, fitness 0.0645986 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = tanh(g)
  lr = 0.502030611038208 * lr
  v = clip(g, -1.679103136062622)
  v = interp(v, w, 0.0239261481910944)
  update = v * lr
  return update, m, v
