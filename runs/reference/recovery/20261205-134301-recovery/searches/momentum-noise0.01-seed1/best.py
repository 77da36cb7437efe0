"""Best program so far: candidate 152219, fitness 0.114934 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = max(lr, g)
  v29 = global_norm(g)
  v38 = log(g)
  v36 = reciprocal(g)
  v41 = arctanh(lr)
  v36 = 0.5901973843574524 - v36
  v37 = sin(v38)
  v42 = log(lr)
  lr = power(v36, v41)
  v42 = power(v29, v42)
  lr = clip(lr, g)
  v43 = m - v36
  v31 = norm(lr)
  v33 = arcsinh(g)
  v28 = interp(v43, -1.3832964897155762, v36)
  v35 = sinh(v31)
  v40 = max(v, v28)
  v39 = arccos(v)
  v40 = power(v40, v39)
  v27 = min(v35, v33)
  v35 = exp(v33)
  v30 = cube(-0.05742443725466728)
  v27 = arccos(v27)
  v44 = reciprocal(v27)
  v32 = v33 / v37
  v = tanh(v27)
  lr = log1p(v40)
  v34 = power(v44, -0.8463096618652344)
  v43 = arccosh(v37)
  update = g * lr
  return update, m, v
