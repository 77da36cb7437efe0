"""Best program so far: candidate 2998, fitness 1.99949 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, -0.8844394683837891)
  v7 = v * m
  m = interp(g, m, 0.799994170665741)
  v = interp(m, v, -9.336267248727381e-05)
  v2 = v / 1.9999960660934448
  v4 = abs(g)
  v = interp(v4, v, 2.097428932756884e-07)
  v5 = g / v
  v10 = g * 0.025755831971764565
  v13 = clip_by_global_norm(w, 1.8873316776080173e-06)
  v14 = v10 - v13
  v11 = v5 + v14
  v15 = min(362.0934143066406, v5)
  v3 = v15 + v2
  update = v3 * lr
  return update, m, v
