"""Best program so far: candidate 11004, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v12 = g / -1.335940964963811e-06
  v13 = v - v12
  v10 = g + v13
  v17 = w * 3.586368979568988e-09
  v18 = v10 + v17
  v7 = tanh(v13)
  v21 = -3.031275510787964 + g
  v2 = square(g)
  v16 = log(v17)
  v14 = interp(v, v13, 0.09089205414056778)
  v15 = v14 + 5.589969820363194e-09
  v = interp(m, v14, 0.990013837814331)
  v19 = w * 0.09999959915876389
  v20 = v7 + v19
  v17 = interp(m, v10, v12)
  update = v20 * lr
  return update, m, v
