"""Best program so far: candidate 2479, fitness 6 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v2 = clip(m, 3.274772675254667e-10)
  v3 = g + v2
  v = interp(v3, v, 0.9000072479248047)
  v4 = sign(v)
  v5 = g * -6.841477162566889e-09
  m = interp(v5, m, 9.898169395228251e-09)
  v6 = v4 + m
  update = v4 * lr
  return update, m, v
