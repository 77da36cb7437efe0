"""Best program so far: candidate 386730, fitness 0.397391 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v27 = arcsin(g)
  v = arctanh(v)
  v42 = clip(v, 0.6498556733131409)
  v41 = interp(g, -3.8315389156341553, v)
  v31 = log1p(v41)
  v = v31 * 0.5422639846801758
  v31 = abs(0.25464189052581787)
  v28 = log10(0.7650547027587891)
  v31 = arcsin(v)
  m = square(v)
  v37 = interp(g, 28.99651336669922, v42)
  v38 = arcsinh(v31)
  v = -2.6560332775115967 - v
  v29 = clip(v, v41)
  v38 = tan(-0.8122267723083496)
  v39 = tanh(v42)
  v30 = v29 + v37
  v = clip_by_global_norm(v30, lr)
  v36 = -1.4581598043441772 / v41
  v = tan(v)
  v40 = cbrt(v37)
  v46 = arctan(v40)
  v25 = arctanh(v46)
  v45 = arccosh(v30)
  m = invert(v37)
  v35 = cbrt(v25)
  v44 = v35 * 1.0672757625579834
  update = arcsinh(v44)
  return update, m, v
