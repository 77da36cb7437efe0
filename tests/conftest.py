"""Shared test set-up: CPU JAX, and fixtures used across modules."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax.numpy as jnp  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _reference_store(tmp_path_factory, monkeypatch):
  """A fresh local reference store per test (discover.reference), never the real home's:
  a test that tunes AdamW writes there, and no test sees another's."""
  monkeypatch.setenv("DISCOVER_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture
def nested_params():
  """A nested pytree of mixed shapes, including a scalar leaf."""
  return {
      "dense": {"kernel": jnp.linspace(-1.0, 1.0, 12).reshape(3, 4), "bias": jnp.full((4,), 0.5)},
      "layers": [jnp.arange(6.0).reshape(2, 3) / 6.0, jnp.array(2.0)],
      "conv": jnp.ones((2, 2, 3)) * -0.25,
  }
