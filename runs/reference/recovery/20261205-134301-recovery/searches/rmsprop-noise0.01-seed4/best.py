"""Best program so far: candidate 167100, fitness 0.536295 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  m = sign(m)
  v32 = interp(m, w, 0.8618528842926025)
  m = log2(m)
  v28 = exp2(lr)
  v39 = exp2(m)
  v33 = clip_by_global_norm(v39, -2.0858817100524902)
  v29 = g / v39
  v34 = min(v33, g)
  v = interp(lr, v, -0.7103456854820251)
  v38 = cube(lr)
  v42 = interp(-0.5148640871047974, v38, lr)
  m = v39 / v33
  m = arctan(m)
  v35 = max(0.35531049966812134, v29)
  lr = square(v)
  v31 = sin(v42)
  v22 = norm(v35)
  v = interp(v38, m, 0.3286070227622986)
  v36 = g * v22
  m = square(g)
  v36 = cbrt(v36)
  v37 = arctanh(v39)
  v36 = arcsinh(v36)
  v31 = v29 / v42
  v30 = interp(v36, v34, 0.23424503207206726)
  v41 = clip(lr, v28)
  v40 = square(-0.006060795392841101)
  v19 = arcsin(v30)
  update = v41 * v19
  v43 = square(0.8003442287445068)
  return update, m, v
