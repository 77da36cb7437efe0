"""Proxy tasks: the JAX/flax training problems candidates are scored on (issue 3)."""
