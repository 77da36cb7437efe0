"""Best on the funnel: candidate 18789, funnel fitness 0.0196047, proxy fitness 0.0114081."""

def train(w, g, m, v, lr):
  g2 = square(g)
  m = sinh(m)
  g2 = tanh(g2)
  v21 = arctanh(m)
  v34 = log10(0.9465739727020264)
  v39 = arccos(v21)
  v33 = exp10(v34)
  m = interp(g, v21, 0.7436158657073975)
  v = interp(g2, v, 0.999)
  v27 = clip(0.2645699083805084, v33)
  v36 = tan(1.2173036336898804)
  v21 = negative(-1.272003173828125)
  v35 = max(g2, v39)
  sqrt_v = sqrt(v)
  v31 = clip(v21, -0.9934172630310059)
  v38 = cos(1.488222599029541)
  g2 = max(v36, v39)
  v10 = min(-1.0046055316925049, v35)
  update = m / sqrt_v
  lr = lr * 0.004797509405761957
  m = arcsin(m)
  v32 = arcsin(-1.1465309858322144)
  v41 = log2(g2)
  v27 = cosine_sim(v41, v39)
  v29 = tanh(0.17046140134334564)
  update = update * lr
  v37 = -0.4366774559020996 / g2
  v10 = norm(g)
  v30 = eps()
  return update, m, v
