"""Best program so far: candidate 3892, fitness 1.31513 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v10 = clip(v, -2.7298927307128906)
  v11 = g + v10
  m = interp(g, m, 0.9942154884338379)
  v3 = negative(m)
  m = interp(v, m, 0.9113257527351379)
  v4 = sqrt(v)
  v7 = v / 0.12982575595378876
  v14 = v4 * 0.050044260919094086
  v15 = m + m
  v8 = v15 - v7
  v12 = square(v4)
  m = interp(v3, m, 0.9964847564697266)
  v13 = v4 * m
  v5 = v8 / v13
  v1 = sign(v15)
  update = v1 * lr
  return update, m, v
