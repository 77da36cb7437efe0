"""A program as an optax GradientTransformation, in memory or as a standalone module."""
