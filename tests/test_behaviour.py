"""Behavioural fingerprints: equivalent programs collide, different ones do not."""

import numpy as np
import pytest

from discover.execute import behaviour
from discover.dsl.baselines import BASELINES, baseline_program
from discover.dsl.parse import parse

LION = """def train(w, g, m, lr):
  u = interp(g, m, {b1})
  update = sign(u)
  m = interp(g, m, 0.99)
  update = update * lr
  return update, m
"""

# Lion written the long way: the dataflow hash tells these apart, the probe must not.
LION_LONG = """def train(w, g, m, lr):
  a = g * 0.1
  b = m * 0.9
  u = a + b
  u2 = u * u
  s = sqrt(u2)
  update = u / s
  c = g * 0.01
  d = m * 0.99
  m = c + d
  update = lr * update
  return update, m
"""


@pytest.fixture(scope="module")
def prober():
  return behaviour.Prober()


def test_rewritten_programs_share_a_fingerprint(prober):
  from discover.dsl.analysis import dataflow_hash
  short, long = parse(LION.format(b1=0.9)), parse(LION_LONG)
  assert dataflow_hash(short) != dataflow_hash(long)
  assert prober.fingerprint(short) == prober.fingerprint(long) is not None


def test_a_changed_constant_changes_the_fingerprint(prober):
  assert prober.fingerprint(parse(LION.format(b1=0.9))) != prober.fingerprint(
      parse(LION.format(b1=0.91)))


def test_every_baseline_has_its_own_fingerprint(prober):
  prints = {name: prober.fingerprint(baseline_program(name)) for name in BASELINES}
  assert None not in prints.values()
  assert len(set(prints.values())) == len(prints), prints


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_probe_outputs_match_the_interpreter(prober, name):
  import jax.numpy as jnp
  from discover.execute.interpreter import as_transform
  program = baseline_program(name)
  params, grads, _ = behaviour.probe_streams()
  schedule = lambda count: 0.5 + 0.5 * jnp.cos(jnp.pi * count / (2 * behaviour.STEPS))
  tx = as_transform(program, schedule)
  state = tx.init(jnp.asarray(params[0]))
  expected = []
  for w, g in zip(params, grads):
    update, state = tx.update(jnp.asarray(g), state, jnp.asarray(w))
    expected.append(np.asarray(update))
  np.testing.assert_allclose(prober.outputs(program), np.stack(expected), rtol=2e-5,
                             atol=1e-6)


def test_programs_that_blow_up_on_the_probe_have_no_fingerprint(prober):
  blowup = parse("def train(w, g, lr):\n  a = exp(g)\n  b = exp(a)\n  c = exp(b)\n"
                 "  update = c * lr\n  return update\n")
  assert prober.fingerprint(blowup) is None


def test_rounding_merges_neighbours_and_carries_cleanly():
  x = np.array([1.0, 1.0 + 1e-6, -3.0, 0.0, -0.0, 0.99999994, 1e-30, 5.0])
  r = behaviour.rounded(x)
  assert (r[:, 0] == r[:, 1]).all()  # within rounding: equal
  assert (r[:, 3] == r[:, 4]).all()  # signed zeros are one value
  assert (r[:, 5] == r[:, 0]).all()  # a mantissa rounded up to 1.0 renormalises
  assert not (r[:, 0] == r[:, 7]).all() and not (r[:, 2] == r[:, 0]).all()
  assert not (r[:, 6] == r[:, 3]).all()  # tiny is not zero


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_every_baseline_s_update_is_proportional_to_lr(name):
  assert behaviour.lr_proportional(baseline_program(name)) is True


@pytest.mark.parametrize("text", [
    # lr scales the weight decay alone, not the step.
    "def train(w, g, lr):\n  d = w * lr\n  update = g * 0.01\n  update = update + d\n"
    "  return update\n",
    "def train(w, g, lr):\n  update = g * lr\n  update = update * lr\n  return update\n",
    "def train(w, g, m, lr):\n  m = interp(g, m, lr)\n  update = m * 0.1\n"
    "  return update, m\n",
], ids=["weight decay only", "lr squared", "lr as a decay rate"])
def test_a_rule_nonlinear_in_lr_is_not_proportional(text):
  assert behaviour.lr_proportional(parse(text)) is False


def test_lr_accumulated_in_a_slot_is_still_proportional():
  program = parse("def train(w, g, m, lr):\n  m = m + lr\n  update = g * m\n"
                  "  return update, m\n")
  assert behaviour.lr_proportional(program) is True
