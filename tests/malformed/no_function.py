# just statements, no def
update = g * lr
