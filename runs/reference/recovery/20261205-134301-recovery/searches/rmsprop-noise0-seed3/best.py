"""Best program so far: candidate 204624, fitness 0.373118 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v35 = reciprocal(-0.04203831031918526)
  v39 = negative(lr)
  v33 = exp(0.21605287492275238)
  v = max(-0.09193676710128784, v)
  v24 = g * v
  m = v + m
  m = m + v
  v30 = max(v24, 0.5890805125236511)
  v43 = m + -1.4937800168991089
  v41 = negative(v35)
  v40 = sign(g)
  v46 = interp(w, -0.40444496273994446, v41)
  v29 = arctan(v35)
  v37 = sqrt(v24)
  v = arccosh(v37)
  v38 = log10(m)
  v34 = power(0.7130998969078064, v)
  m = power(v, -3.325998067855835)
  v32 = 0.2831580340862274 * v41
  v31 = power(v38, v34)
  v36 = min(g, v31)
  v38 = max(v31, -0.6638190746307373)
  v44 = max(1.2156254053115845, m)
  v = cbrt(v36)
  lr = cube(lr)
  v45 = cosh(v30)
  v28 = v * lr
  v27 = cbrt(v28)
  update = arcsin(v27)
  return update, m, v
