"""Best program so far: candidate 6005, fitness 2.99953 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(g, v, 0.8999814987182617)
  v2 = sin(v)
  v3 = v * 1.982734203338623
  v14 = w / 2.728149175643921
  v15 = g + v14
  v10 = abs(g)
  m = interp(v10, m, 0.9966289401054382)
  v11 = v / m
  v4 = v11 + v3
  v5 = sign(v4)
  m = interp(v5, g, 9.466252777201589e-07)
  v6 = sqrt(m)
  v13 = -7.275065898895264 + v4
  m = interp(v13, m, 1.0000004768371582)
  v7 = m / v6
  update = m * lr
  return update, m, v
