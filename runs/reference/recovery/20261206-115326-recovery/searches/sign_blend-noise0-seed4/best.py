"""Best program so far: candidate 1437, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = sign(g)
  v14 = g * -99.99947357177734
  v15 = m + v14
  v4 = v15 - -1.8095438463205937e-06
  m = 0.800000011920929 * v4
  v5 = v + v4
  v9 = v * 9.210021018981934
  v10 = v + g
  v7 = v10 / 3.728212356567383
  v8 = v5 + v7
  m = interp(v8, m, 0.9999999403953552)
  v11 = g * 0.3456553518772125
  v12 = m + v2
  v13 = sign(v2)
  v = interp(v13, v12, -0.0012500063749030232)
  update = v * lr
  return update, m, v
