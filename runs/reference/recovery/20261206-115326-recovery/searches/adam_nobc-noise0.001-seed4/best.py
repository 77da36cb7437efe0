"""Best program so far: candidate 7641, fitness 1.14098 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = v * 0.03202132135629654
  v11 = abs(g)
  m = interp(v11, m, 0.9782388210296631)
  v12 = sqrt(m)
  v13 = g / v12
  v15 = negative(v13)
  v10 = v15 + v9
  v1 = square(v10)
  m = interp(v1, m, 0.998147189617157)
  v5 = g * 0.0007240336271934211
  v6 = m - v5
  v2 = lr / v6
  v7 = v5 * 424.0753479003906
  v8 = v + v7
  v = interp(v7, v8, 0.8999946713447571)
  update = v * v2
  return update, m, v
