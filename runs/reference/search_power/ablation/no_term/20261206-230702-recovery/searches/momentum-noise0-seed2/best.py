"""Best program so far: candidate 1139, fitness 4.40359 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 1.005637764930725)
  m = interp(m, m, 9.778406092664227e-05)
  v7 = sqrt(w)
  v7 = tan(g)
  v8 = v7 / 1684459.875
  v = interp(g, v8, -8.999999046325684)
  v2 = arctanh(v)
  v5 = sqrt(m)
  v = interp(v2, v, 0.9999997019767761)
  m = interp(v, m, 0.8999999165534973)
  v9 = interp(v, 2.071660041809082, v7)
  v = interp(m, v9, -1.1921714282436824e-08)
  update = v * lr
  return update, m, v
