"""Best program so far: candidate 148, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v5 = square(g)
  v = interp(v5, v, 0.8999999761581421)
  v6 = sqrt(v)
  v1 = abs(v6)
  m = interp(v1, m, 1.0092384705728819e-08)
  v2 = lr / m
  v4 = sign(-0.8645445108413696)
  update = g * v2
  return update, m, v
