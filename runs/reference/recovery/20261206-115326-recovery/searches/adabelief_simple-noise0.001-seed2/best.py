"""Best program so far: candidate 1079, fitness 0.61964 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = square(g)
  v6 = sqrt(v)
  v11 = v1 * -0.0006676423945464194
  v14 = v - -0.001198626821860671
  v12 = v14 + v11
  v7 = max(0.04672227054834366, v12)
  v = interp(v1, v7, 0.9960211515426636)
  v9 = w * -0.0517217256128788
  v10 = v + v9
  v13 = arctan(m)
  m = interp(v13, m, 1.172275185585022)
  v2 = lr / v
  m = interp(g, m, 0.880832850933075)
  update = m * v2
  return update, m, v
