"""Best program so far: candidate 155340, fitness 0.522594 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v31 = negative(g)
  v28 = max(0.17847459018230438, m)
  v34 = reciprocal(lr)
  v33 = sinh(v)
  v39 = max(g, m)
  v39 = v39 - 1.144336223602295
  v39 = arccosh(v39)
  m = max(v39, g)
  v30 = v34 - v34
  v44 = log1p(-0.059585023671388626)
  v = arcsinh(v28)
  v35 = min(g, v)
  v42 = arcsin(v34)
  v29 = max(-0.39631596207618713, v35)
  v40 = clip_by_global_norm(v39, v42)
  v = negative(v)
  v40 = interp(v40, v29, 0.15805648267269135)
  v40 = sinh(v40)
  v37 = exp10(v40)
  v32 = sign(g)
  v47 = invert(v37)
  v36 = v32 / v34
  v38 = exp10(v33)
  v36 = v36 - v47
  update = clip(v36, v36)
  return update, m, v
