"""Best program so far: candidate 476, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = lr / -1.0
  v5 = abs(g)
  m = interp(v5, m, 1.0)
  v6 = g / m
  v3 = v6 * -18176.802734375
  v8 = m * 0.00012684844841714948
  v9 = v + v8
  v4 = v9 + v3
  v10 = v / 3.2784266471862793
  v11 = g + v10
  v = interp(v11, v4, 0.8560983538627625)
  v12 = sign(v)
  update = v12 * v1
  return update, m, v
