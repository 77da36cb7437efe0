"""The recovery benchmark's hidden update rules and the programs its searches start from.

Each target is a known optimizer written in the DSL (``discover.dsl.baselines``' conventions:
the program returns ``lr * direction``), without epsilon and without bias correction, so
that every constant in it is one the search must find: SGD with momentum, RMSProp, Adam
without bias correction, Lion, Signum, a simplified AdaBelief (no bias correction, no
epsilons), and two made-up rules of the same size. Hyperparameters are the usual defaults
(optax's where it has them); Lion's weight decay is 0.1, large enough to be a visible term.

Mutation never adds or removes state slots, so every start program has the same signature
with two slots (``m``, ``v``), enough for every target; slots a target does not need stay
dead. Two starts, neither of which is a target:

* ``empty``: the smallest program the search can grow. A program with no statements must
  return an input (``return g, m, v`` is valid), but an input can never be reassigned by
  an insert, so it could never change; one statement is the minimum, and ``g * 0.0`` (the
  zero update) carries no information about any target;
* ``sgd``: ``update = g * lr``.
"""

from __future__ import annotations

import dataclasses

from discover.dsl.parse import parse
from discover.dsl.program import Program


@dataclasses.dataclass(frozen=True)
class Target:
  """A hidden update rule: registry key, what it is, and its program text."""

  name: str
  description: str
  text: str

  @property
  def program(self) -> Program:
    return parse(self.text)


_TARGETS = (
    Target("momentum", "SGD with heavy-ball momentum 0.9 (optax.trace form)", """\
def train(w, g, m, lr):
  decayed = m * 0.9
  m = g + decayed
  update = m * lr
  return update, m
"""),
    Target("rmsprop", "RMSProp, decay 0.9, no epsilon", """\
def train(w, g, v, lr):
  g2 = square(g)
  v = interp(g2, v, 0.9)
  denom = sqrt(v)
  update = g / denom
  update = update * lr
  return update, v
"""),
    Target("adam_nobc", "Adam without bias correction or epsilon, b1 0.9, b2 0.999", """\
def train(w, g, m, v, lr):
  m = interp(g, m, 0.9)
  g2 = square(g)
  v = interp(g2, v, 0.999)
  denom = sqrt(v)
  update = m / denom
  update = update * lr
  return update, m, v
"""),
    Target("lion", "Lion, b1 0.9, b2 0.99, decoupled weight decay 0.1", """\
def train(w, g, m, lr):
  update = interp(g, m, 0.9)
  update = sign(update)
  m = interp(g, m, 0.99)
  decay = w * 0.1
  update = update + decay
  update = update * lr
  return update, m
"""),
    Target("signum", "Signum (sign of momentum), beta 0.9", """\
def train(w, g, m, lr):
  m = interp(g, m, 0.9)
  update = sign(m)
  update = update * lr
  return update, m
"""),
    Target("adabelief_simple", "AdaBelief without bias correction or epsilons, b1 0.9, "
           "b2 0.999", """\
def train(w, g, m, v, lr):
  m = interp(g, m, 0.9)
  surprise = g - m
  s2 = square(surprise)
  v = interp(s2, v, 0.999)
  denom = sqrt(v)
  update = m / denom
  update = update * lr
  return update, m, v
"""),
    Target("sign_blend", "made up: sign of the gradient plus half a momentum 0.8", """\
def train(w, g, m, lr):
  m = interp(g, m, 0.8)
  s = sign(g)
  half = m * 0.5
  update = s + half
  update = update * lr
  return update, m
"""),
    Target("tanh_ratio", "made up: tanh of momentum 0.9 over a mean |g| with decay 0.95",
           """\
def train(w, g, m, v, lr):
  m = interp(g, m, 0.9)
  a = abs(g)
  v = interp(a, v, 0.95)
  ratio = m / v
  update = tanh(ratio)
  update = update * lr
  return update, m, v
"""),
)

TARGETS: dict[str, Target] = {t.name: t for t in _TARGETS}

STARTS: dict[str, str] = {
    "empty": "def train(w, g, m, v, lr):\n  update = g * 0.0\n  return update, m, v\n",
    "sgd": "def train(w, g, m, v, lr):\n  update = g * lr\n  return update, m, v\n",
}


def start_program(name: str) -> Program:
  """A start program by name (``STARTS``); KeyError names the known ones."""
  if name not in STARTS:
    raise KeyError(f"no start '{name}' (known: {', '.join(STARTS)})")
  return parse(STARTS[name])
