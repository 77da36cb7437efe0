"""Best program so far: candidate 83566, fitness 0.0590932 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v39 = m + v
  v40 = min(-254.9978790283203, g)
  m = sign(v39)
  lr = exp(m)
  v = v + g
  v42 = lr - v
  v38 = eps()
  v24 = norm(0.021320851519703865)
  lr = log1p(v40)
  v31 = clip(g, lr)
  v41 = exp2(v31)
  v32 = v39 - v41
  v28 = norm(g)
  v42 = interp(v28, v42, v28)
  v30 = 1.487879753112793 - v31
  v37 = min(v32, v42)
  v36 = power(0.2263256013393402, -0.7302972078323364)
  v39 = arctanh(v)
  v43 = min(v28, v38)
  v27 = square(v40)
  v28 = v28 / lr
  v34 = dot(v30, v27)
  v = v37 / v24
  m = power(v36, v28)
  v29 = min(v34, v)
  v = v29 + v29
  update = v43 * v
  update = sqrt(update)
  v14 = log2(m)
  v = cube(v14)
  return update, m, v
