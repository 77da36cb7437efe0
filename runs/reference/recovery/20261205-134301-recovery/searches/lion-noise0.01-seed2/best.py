"""Best program so far: candidate 375186, fitness 0.265919 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v37 = interp(0.4038439095020294, lr, lr)
  v27 = log1p(w)
  m = arcsin(v27)
  v31 = reciprocal(v37)
  v49 = reciprocal(-0.8921494483947754)
  v41 = power(v31, -0.7908003926277161)
  v32 = log2(v37)
  v45 = abs(v41)
  v39 = log(v37)
  v44 = sinh(lr)
  v42 = exp(v32)
  v29 = g * v44
  v43 = arctanh(v29)
  v36 = log1p(1.274600863456726)
  v32 = sign(v29)
  v46 = negative(v36)
  m = min(-0.7110963463783264, m)
  v35 = negative(m)
  v40 = max(v42, v35)
  v46 = reciprocal(v31)
  v30 = square(v40)
  v = v30 * v43
  v38 = log1p(v)
  v37 = cube(v27)
  v41 = exp2(v30)
  v28 = sign(v29)
  v33 = v36 + v27
  v34 = max(v28, v38)
  update = clip(v34, v45)
  v47 = square(-1.6775190830230713)
  return update, m, v
