class Train:
  pass
