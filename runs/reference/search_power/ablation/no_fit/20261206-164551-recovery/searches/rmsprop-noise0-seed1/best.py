"""Best program so far: candidate 18498, fitness 2.0223 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v7 = square(g)
  v14 = v7 / -0.9724993109703064
  v15 = v + v14
  v12 = v1 / 308.2254638671875
  v13 = m - v12
  m = interp(v1, v13, 0.9482895731925964)
  v8 = cosine_sim(v12, v)
  v5 = v1 * 0.09313580393791199
  v10 = m * 0.18083785474300385
  v11 = max(v5, v12)
  v6 = v1 + v5
  m = interp(v6, m, 0.9489145278930664)
  v2 = sqrt(m)
  v3 = lr / v2
  update = g * v3
  return update, m, v
