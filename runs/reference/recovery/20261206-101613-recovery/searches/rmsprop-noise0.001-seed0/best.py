"""Best program so far: candidate 387, fitness 2.99949 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  m = interp(v1, v1, -158.44993591308594)
  v7 = w * -6.66032420326701e-08
  v8 = m + v7
  v10 = g * 3.6845021895715035e-06
  v11 = v8 + v10
  v4 = square(v11)
  v = interp(v4, v, 0.9000006318092346)
  v5 = sqrt(v)
  v2 = g / v5
  m = interp(v2, m, 4.484197191345629e-08)
  update = m * lr
  return update, m, v
