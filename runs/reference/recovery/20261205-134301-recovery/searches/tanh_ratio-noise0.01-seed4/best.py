"""Best program so far: candidate 103552, fitness 0.0801184 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v38 = square(-2.03751802444458)
  lr = lr * 1.1615052223205566
  v32 = m - v38
  v34 = interp(g, v, v32)
  v41 = log(v)
  m = cube(m)
  v30 = interp(v34, m, m)
  v27 = reciprocal(v)
  v27 = v30 + v27
  v33 = 0.567896842956543 - m
  v40 = sign(g)
  v32 = log2(lr)
  v29 = min(v27, v32)
  v42 = 0.002669243374839425 / v40
  v27 = global_norm(v40)
  v37 = invert(w)
  v28 = e()
  v35 = abs(g)
  v28 = clip(v41, v28)
  v15 = interp(-2.577249765396118, v29, v35)
  m = min(v34, 1433.6578369140625)
  v15 = v15 * v28
  v39 = norm(v15)
  v31 = invert(v41)
  v12 = v39 - -883.2532348632812
  v9 = eps()
  v = arcsin(v42)
  v4 = square(v12)
  v36 = clip(v9, m)
  update = v4 * v36
  return update, m, v
