"""Best program so far: candidate 1390, fitness 0.189287 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v26 = tan(lr)
  v = cosine_sim(g, g)
  v10 = cos(m)
  g2 = sqrt(m)
  v10 = abs(-1.105475902557373)
  v25 = arctan(g2)
  v21 = arcsin(0.8041842579841614)
  v27 = 1.787452220916748 + g
  m = max(lr, -0.005132676567882299)
  m = abs(w)
  g2 = sin(v25)
  v18 = dot(m, w)
  v12 = clip(v21, 0.1958666741847992)
  v25 = sqrt(v12)
  v16 = log(v10)
  v14 = cosh(-1.1431056261062622)
  v29 = v21 * 0.6492744088172913
  v25 = arctanh(0.23155644536018372)
  v9 = log2(g2)
  v = interp(g2, g, 0.999)
  v15 = exp2(0.3927795886993408)
  sqrt_v = sqrt(v14)
  v19 = interp(v10, v14, -0.4158262610435486)
  v19 = arcsin(v15)
  v20 = v16 * g2
  v12 = -0.10472438484430313 + v9
  v17 = e()
  update = v * sqrt_v
  v12 = exp10(-1.7093716859817505)
  v28 = eps()
  return update, m, v
