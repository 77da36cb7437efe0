"""Best program so far: candidate 192279, fitness 0.109107 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v32 = negative(v)
  v41 = tan(v32)
  v42 = arctan(-0.6126952171325684)
  v26 = max(v32, -1.271453619003296)
  v36 = arcsinh(v42)
  v40 = sign(w)
  v37 = v36 + -1.3686293363571167
  v47 = arccos(v)
  v33 = clip(v, v37)
  v30 = exp10(v41)
  v45 = tan(v36)
  v = sinh(v33)
  v36 = exp(v40)
  lr = exp(v26)
  v46 = exp(lr)
  v39 = square(g)
  v43 = square(v37)
  v34 = -3.56108021736145 - 0.25493475794792175
  v44 = max(lr, m)
  v31 = v46 - v37
  v35 = arctan(v39)
  v = cos(v)
  v28 = arcsin(v)
  v = clip(v28, v35)
  v38 = v42 + v37
  v = sinh(v)
  v29 = interp(-0.3865531086921692, lr, 0.8953931331634521)
  v27 = abs(v44)
  update = g * v29
  return update, m, v
