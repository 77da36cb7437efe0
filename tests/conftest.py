"""Shared test set-up: CPU JAX, and fixtures used across modules.

Constants and helpers that parametrise tests at collection time live in
``tests/support.py``; test modules import that, never each other. Tests marked ``slow``
(end-to-end searches, real processes, replays, trainings) are left out of the everyday
tier: ``python -m pytest -n 2 --dist loadfile -m "not slow"``.
"""

import os
import tempfile

os.environ.setdefault("JAX_PLATFORMS", "cpu")
# Module and session fixtures run before the per-test store below: a reference they tune
# (a task changed on a developer's machine) must not land in the real home either.
os.environ["DISCOVER_CACHE_DIR"] = tempfile.mkdtemp(prefix="discover-test-references-")

import jax.numpy as jnp  # noqa: E402
import pytest  # noqa: E402

import support  # noqa: E402


@pytest.fixture(autouse=True)
def _reference_store(tmp_path_factory, monkeypatch):
  """A fresh local reference store per test (discover.execute.reference), never the real home's:
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


@pytest.fixture(scope="session")
def staged_run(tmp_path_factory):
  """One shrunken run with proxy, funnel and meta stages (``support.make_staged_run``),
  made once per test process: test_replay and test_report read it, never change it.
  Session fixtures start before ``_reference_store``, so it gets a store of its own."""
  with pytest.MonkeyPatch.context() as patch:
    patch.setenv("DISCOVER_CACHE_DIR", str(tmp_path_factory.mktemp("staged-run-cache")))
    return support.make_staged_run(tmp_path_factory.mktemp("staged-run"))


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items):
  """A test that needs the staged run (a whole search, replayed) is ``slow``."""
  for item in items:
    if "staged_run" in getattr(item, "fixturenames", ()):
      item.add_marker(pytest.mark.slow)
