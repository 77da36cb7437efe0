"""Best program so far: candidate 996, fitness 3.00152 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = v * 0.33334553241729736
  v11 = m + v10
  v4 = interp(g, v11, m)
  v1 = abs(v4)
  v = interp(v1, v, 0.999999463558197)
  v = interp(v, v4, -1.4659807682037354)
  v5 = v4 * 1.0000014305114746
  v = interp(g, v, 0.32441583275794983)
  v6 = v + v5
  v13 = v5 * 2.715383516260772e-06
  v14 = v1 + v13
  v2 = v5 / v14
  v7 = v6 * 0.08332929015159607
  v15 = v7 + v11
  v8 = v2 + v15
  update = v8 * lr
  return update, m, v
