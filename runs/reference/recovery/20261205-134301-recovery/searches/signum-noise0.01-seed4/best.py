"""Best program so far: candidate 443180, fitness 0.109905 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v46 = lr / -1.142078161239624
  v26 = clip(1.32257878780365, -1.19856858253479)
  v36 = eps()
  v37 = arccos(-0.016497798264026642)
  v32 = lr * v26
  v38 = reciprocal(v32)
  lr = min(-0.001760169630870223, 1.6611287593841553)
  v35 = abs(m)
  v = v / v32
  v30 = v35 + -1.0626236200332642
  lr = arcsinh(672.4085083007812)
  v39 = clip_by_global_norm(v30, lr)
  m = sinh(v)
  v33 = cube(g)
  v44 = norm(v33)
  v27 = arcsinh(v46)
  v29 = interp(v30, v39, v44)
  lr = w * v29
  m = arcsin(v)
  v35 = log2(v30)
  v45 = arctan(v29)
  v = -0.30464088916778564 / v45
  v24 = min(v27, v30)
  v5 = sign(g)
  v40 = sqrt(v24)
  v34 = expm1(v5)
  v31 = sqrt(0.22211763262748718)
  lr = clip(v34, v40)
  v30 = cube(1.5965526103973389)
  update = cube(lr)
  return update, m, v
