"""Winner: candidate 12660: the best min(funnel, meta-validation) fitness of 4 finalists (-0.0185; the start program -0.0241)."""

def train(w, g, m, v, lr):
  g2 = square(g)
  g2 = sin(g2)
  v21 = arctanh(m)
  v28 = min(-1.281737208366394, g2)
  v34 = log10(0.5173993110656738)
  v31 = power(-0.06366023421287537, 1.0955893993377686)
  v43 = clip_by_global_norm(g2, v34)
  v33 = exp10(v31)
  v42 = sin(m)
  m = interp(g, v21, 0.7436158657073975)
  v = interp(g2, v, 0.999)
  v29 = exp10(v34)
  v38 = global_norm(g2)
  v35 = max(g2, v33)
  v40 = cosh(g2)
  sqrt_v = sqrt(v)
  v36 = eps()
  v38 = cube(-0.3946264684200287)
  v10 = min(-0.13326461613178253, v35)
  update = m / sqrt_v
  v27 = w / g
  v39 = pi()
  lr = lr * 0.004702328704297543
  m = arcsin(m)
  v27 = exp10(v27)
  v37 = abs(sqrt_v)
  update = update * lr
  v30 = eps()
  v32 = min(v43, v37)
  v41 = sqrt(-0.08277443051338196)
  return update, m, v
