"""Best program so far: candidate 4676, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(v)
  v14 = g * -0.0010075954487547278
  v15 = v14 + v14
  v2 = g / m
  v10 = square(v)
  v8 = sign(v2)
  v = interp(v2, v, 0.990009605884552)
  v7 = v2 + v2
  v7 = square(v14)
  v11 = v2 / 10.008460998535156
  v12 = v + v11
  v13 = sign(v12)
  v16 = w * 0.10000000149011612
  v17 = v13 + v16
  update = v17 * lr
  return update, m, v
