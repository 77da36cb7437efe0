"""Best program so far: candidate 221310, fitness 0.482218 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v27 = w - m
  v28 = arccos(1.0947825908660889)
  v39 = abs(-0.5883687138557434)
  v32 = tan(1.1178780794143677)
  v34 = reciprocal(v32)
  v45 = sinh(3.8207995891571045)
  v33 = log2(v34)
  v38 = v - 0.5058654546737671
  lr = eps()
  v41 = clip(v33, -0.5758910775184631)
  v35 = tanh(lr)
  v30 = cube(-0.6277711987495422)
  v43 = e()
  v40 = arctan(-0.12493710219860077)
  lr = v45 - -119.95943450927734
  v37 = sinh(-0.7394189238548279)
  v31 = arccosh(v30)
  v38 = cbrt(v38)
  v = max(m, v38)
  v26 = v39 * lr
  m = clip_by_global_norm(g, lr)
  v29 = sign(g)
  v41 = arcsin(1.2689365148544312)
  v36 = sqrt(0.34690508246421814)
  lr = cos(lr)
  v29 = tanh(v29)
  v44 = m + v
  v33 = interp(8.980976104736328, v, w)
  update = v44 + v29
  return update, m, v
