"""Best program so far: candidate 7870, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.8999922275543213)
  m = interp(g, v, 0.8999901413917542)
  v6 = square(g)
  v9 = 0.20342759788036346 + w
  v7 = sqrt(v)
  v10 = sqrt(v7)
  v4 = v10 * 7.43149848858593e-06
  v5 = m + v4
  v2 = sign(v5)
  v11 = w * 0.10000000149011612
  v12 = v2 + v11
  update = v12 * lr
  return update, m, v
