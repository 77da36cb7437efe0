"""Best program so far: candidate 218912, fitness 0.987965 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v = interp(m, g, 0.009993113577365875)
  m = interp(v, v, v)
  v = interp(v, g, 0.09086117893457413)
  lr = 0.6351211667060852 * lr
  v = sign(v)
  v = 2.689438581466675 * v
  v = 0.09452971816062927 + v
  v = arcsin(v)
  update = v * lr
  return update, m, v
