"""Best program so far: candidate 270961, fitness 0.0885856 (log10 improvement over tuned AdamW)."""

def train(w, g, m, v, lr):
  v41 = square(-0.7393555641174316)
  v47 = power(lr, -0.7013770341873169)
  v47 = log(v41)
  v33 = g / lr
  v44 = eps()
  v29 = square(v)
  v47 = sinh(lr)
  v39 = arcsin(-0.5535578727722168)
  v37 = eps()
  v27 = min(0.21912367641925812, lr)
  v27 = tan(lr)
  v35 = abs(v)
  v27 = tan(v37)
  v46 = -0.06860978901386261 / v29
  v43 = g + 0.2353784441947937
  v36 = -0.0938374474644661 + v33
  v31 = sqrt(m)
  v32 = negative(v29)
  v45 = v43 + v33
  v23 = arcsinh(v36)
  v44 = cos(w)
  v42 = square(v46)
  v = v43 * 0.9083291292190552
  v38 = cosh(v23)
  v26 = reciprocal(v38)
  v40 = arctan(v26)
  lr = reciprocal(0.5143190622329712)
  update = v * v40
  return update, m, v
