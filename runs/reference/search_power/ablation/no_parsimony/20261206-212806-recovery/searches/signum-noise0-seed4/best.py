"""Best program so far: candidate 222, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v9 = g * 0.18881167471408844
  v10 = v + v9
  v = interp(g, v10, 0.8999834060668945)
  v7 = v - 3.6643370629474425e-12
  v1 = square(v7)
  m = interp(v1, m, -6.134606474336116e-16)
  v5 = 1.931785161759928e-16 - m
  v2 = sqrt(v5)
  v3 = lr / v2
  v = interp(g, v, 1.0)
  update = v * v3
  return update, m, v
