"""Best program so far: candidate 5836, fitness 3.00172 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, v, 0.9000235795974731)
  m = interp(g, v, 0.9000741839408875)
  v1 = 17336.298828125 * m
  v2 = v * 0.20020999014377594
  v6 = w * -2.169803643399873e-14
  v7 = v1 + v
  v4 = sign(v7)
  v2 = arcsin(1181.3251953125)
  v11 = power(w, v2)
  v13 = cosine_sim(w, v11)
  v9 = v13 + 0.09767255187034607
  v12 = v9 - v9
  v3 = v4 + v12
  v14 = w * 0.10000191628932953
  v15 = v3 + v14
  update = v15 * lr
  return update, m, v
