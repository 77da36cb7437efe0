"""Measurements of the engine: reproducibility studies and the recovery benchmark."""
