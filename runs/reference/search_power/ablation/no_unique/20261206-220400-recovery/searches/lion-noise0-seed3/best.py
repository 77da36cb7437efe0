"""Best program so far: candidate 5379, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v5 = sign(w)
  v = interp(m, v, 0.10000764578580856)
  m = interp(v, v, 4.10018650143229e-08)
  v = interp(g, m, 0.899975061416626)
  v2 = sign(v)
  v6 = w * 0.10000000149011612
  v7 = v2 + v6
  update = v7 * lr
  return update, m, v
