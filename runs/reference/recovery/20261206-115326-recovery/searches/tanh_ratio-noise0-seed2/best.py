"""Best program so far: candidate 1694, fitness 0.668642 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v1 = abs(g)
  v = interp(g, v, 0.9230021238327026)
  v4 = min(v, 1.0235248804092407)
  v9 = sign(g)
  v = interp(v4, v9, 0.01878843456506729)
  m = interp(v, g, 1.0163099745455484e-12)
  v8 = clip_by_global_norm(m, 0.3076964318752289)
  m = interp(v8, m, -0.01602211408317089)
  v2 = cbrt(m)
  v11 = lr * 1.884516716003418
  v7 = v11 / 0.2770151197910309
  v14 = sign(v8)
  v12 = v14 * -0.0393269918859005
  v13 = v2 + v12
  update = v13 * v7
  return update, m, v
