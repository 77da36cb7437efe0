"""Best program so far: candidate 169908, fitness 0.276585 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v43 = v + w
  v41 = dot(v, w)
  v32 = cube(m)
  v42 = exp(v)
  v46 = reciprocal(m)
  v28 = square(lr)
  m = max(m, -2.0720322132110596)
  v48 = reciprocal(v43)
  v35 = arcsin(v28)
  v44 = clip(v32, v41)
  v29 = arcsinh(-0.22767479717731476)
  v40 = power(w, v41)
  v49 = cosine_sim(v32, w)
  v47 = exp(v41)
  v38 = cube(v28)
  v45 = arctan(w)
  v39 = arctanh(v32)
  v = v35 + v44
  v25 = m * 0.9099770784378052
  v = max(v, -2.0018088817596436)
  v37 = max(v25, v)
  v30 = power(v35, lr)
  v34 = exp2(v)
  v31 = clip(v25, 2.7658348083496094)
  m = g * v38
  v33 = v31 + m
  m = min(v33, v34)
  update = clip(m, 3.5817623138427734)
  return update, m, v
