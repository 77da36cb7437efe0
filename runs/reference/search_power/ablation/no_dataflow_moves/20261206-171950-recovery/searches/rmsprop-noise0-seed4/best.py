"""Best program so far: candidate 162380, fitness 0.393715 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = arctanh(g)
  v = 0.9845267534255981 + g
  v = v * 0.38765060901641846
  v = clip(v, 1.2288872003555298)
  v = -0.34162387251853943 + v
  v = sin(v)
  v = interp(g, v, 1.0004119873046875)
  v = arcsinh(v)
  v = interp(-0.3465062081813812, 12.53016471862793, v)
  m = sign(g)
  v = v + m
  lr = lr / 5.279137134552002
  update = v * lr
  return update, m, v
