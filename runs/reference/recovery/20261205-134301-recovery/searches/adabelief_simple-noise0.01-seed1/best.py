"""Best program so far: candidate 137275, fitness 0.0582451 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v33 = norm(v)
  v40 = arctanh(g)
  v42 = arcsin(lr)
  v32 = arcsin(v40)
  v31 = cosh(v)
  v = cube(v)
  v27 = v / v31
  v35 = exp(v42)
  lr = lr + v27
  v30 = interp(-1.8490797281265259, v42, lr)
  v32 = sinh(v32)
  v = arcsin(-0.11365695297718048)
  v31 = arccosh(v35)
  lr = interp(0.9536218047142029, v30, 0.6799752712249756)
  v34 = negative(lr)
  v38 = tanh(lr)
  v25 = sinh(v30)
  v36 = tan(v31)
  v41 = log10(lr)
  v28 = abs(v25)
  v32 = -1.6366758346557617 * v32
  v29 = v36 * v32
  v = arccosh(g)
  v45 = cbrt(v38)
  v37 = arccosh(lr)
  v26 = clip(v29, v45)
  v4 = norm(v26)
  v5 = invert(v4)
  lr = clip(v28, v5)
  update = v * lr
  return update, m, v
