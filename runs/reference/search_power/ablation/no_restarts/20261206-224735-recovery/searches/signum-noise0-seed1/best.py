"""Best program so far: candidate 1144, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 7.11873872205615e-05)
  v11 = v * 9.59800433575353e-11
  v12 = g + v11
  m = interp(g, m, 0.8999971151351929)
  v = -1.280627727508545 + 1.2564904689788818
  v3 = abs(m)
  v = interp(v3, v, 9.999999960041972e-13)
  v7 = g * -0.004783033858984709
  v8 = m + v7
  v4 = m / v
  v1 = v4 * 1.0
  v2 = m + v1
  update = v1 * lr
  return update, m, v
