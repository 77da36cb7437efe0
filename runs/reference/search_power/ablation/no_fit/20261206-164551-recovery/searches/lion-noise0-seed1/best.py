"""Best program so far: candidate 7217, fitness 0.861892 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = interp(v, m, 0.9344872832298279)
  v12 = g * 1.397506594657898
  v13 = m + v12
  v = interp(v12, v13, 0.8514863848686218)
  v2 = arcsinh(v)
  v4 = m * -0.043448884040117264
  v7 = sign(v)
  v14 = g * 0.079524464905262
  v15 = v + g
  v = interp(m, v15, 0.9243386387825012)
  v8 = sqrt(v)
  v11 = expm1(v2)
  v9 = v11 / v8
  v5 = v9 + v9
  v1 = cbrt(v5)
  update = v7 * lr
  return update, m, v
