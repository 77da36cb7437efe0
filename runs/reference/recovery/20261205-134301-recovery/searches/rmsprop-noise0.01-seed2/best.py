"""Best program so far: candidate 78143, fitness 0.0609721 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  lr = invert(g)
  v41 = sin(v)
  v40 = min(-256.03472900390625, w)
  v42 = lr - m
  v39 = log1p(v40)
  v38 = eps()
  v24 = norm(0.022486642003059387)
  lr = log1p(v40)
  v31 = clip(g, lr)
  v36 = global_norm(w)
  v32 = v - v36
  v28 = norm(g)
  v42 = interp(v28, v42, v28)
  v30 = 1.487879753112793 - v31
  v37 = min(v, v42)
  v43 = min(v28, v38)
  v42 = log10(v32)
  v27 = square(v40)
  v28 = v28 / lr
  v34 = dot(v30, v27)
  v = v37 / v24
  v33 = v28 / 0.01871812902390957
  m = power(v42, v28)
  v29 = min(v34, v)
  v = v29 + v29
  update = v43 * v
  update = sqrt(update)
  v14 = log2(m)
  m = v32 - v33
  v = cube(v14)
  return update, m, v
