"""Best program so far: candidate 208078, fitness 0.373481 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v37 = exp10(lr)
  v = max(-0.5329253077507019, v)
  v33 = exp10(w)
  v24 = g * v
  v24 = sinh(v24)
  m = v + m
  v41 = exp(w)
  v32 = pi()
  m = m + v
  v43 = m + -1.6806867122650146
  m = cosine_sim(w, g)
  v29 = sinh(0.18242855370044708)
  v = arccosh(v24)
  m = power(v, -11.648213386535645)
  v39 = global_norm(v24)
  m = sinh(m)
  v26 = sin(v43)
  v40 = abs(1.0494195222854614)
  v31 = power(v43, v29)
  v36 = min(g, v31)
  v41 = norm(w)
  v = cbrt(v36)
  lr = cube(lr)
  v28 = v * lr
  v31 = sinh(v32)
  v33 = cube(v29)
  v27 = cbrt(v28)
  v38 = pi()
  update = arcsin(v27)
  return update, m, v
