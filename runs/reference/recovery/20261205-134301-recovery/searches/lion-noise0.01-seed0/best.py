"""Best program so far: candidate 560605, fitness 0.568753 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v47 = cbrt(g)
  v43 = g + v47
  v44 = log1p(0.2478591650724411)
  v29 = abs(2.0374326705932617)
  v48 = sin(w)
  v48 = -0.46324628591537476 / v
  v49 = v - v44
  v42 = negative(v49)
  v35 = log1p(v47)
  v31 = v44 * v42
  v32 = log2(w)
  v41 = cube(v29)
  v47 = sin(v43)
  v44 = cos(v35)
  m = log2(1.5350151062011719)
  v34 = v44 + v35
  v46 = arctan(v47)
  v28 = sign(g)
  v49 = min(v46, v48)
  v33 = exp2(v34)
  v45 = square(v)
  v39 = eps()
  v38 = sign(v41)
  v = v - g
  v30 = v33 * v31
  v40 = arcsinh(-1.9294865131378174)
  m = interp(v30, lr, v28)
  update = clip(m, -0.8848554491996765)
  v27 = invert(-0.6068249344825745)
  v37 = log(v43)
  return update, m, v
