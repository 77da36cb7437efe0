"""A program as an optax ``GradientTransformation`` in memory, with named hyperparameters.

``to_optax(program, learning_rate, **hyperparameters)`` builds the transformation on the
registry's own op implementations, as the interpreter (``discover.execute.interpreter``)
runs them, with the program's constants exposed as named, injectable hyperparameters
(named by ``discover.dsl.hyperparameters``; ``hyperparameters`` is re-exported here).
``discover.export.module`` writes the same optimizer as a standalone module.

Both forms follow the interpreter's conventions: ``lr`` is the learning rate's value at
the update count, ``step`` the 1-based update number; only live statements run; state
slots that never influence the update stay zero; the transformation returns the negated
program update, and updates and state keep the parameters' dtypes.

The step size is always the user's: a program that never reads ``lr``
(``analysis.reads_lr``: evolution may overwrite it, ``lr = w * 0.3``, or drop it) would
ignore ``learning_rate``, so both forms multiply its update by ``learning_rate`` instead,
and 1.0 reproduces the rule as discovered. A program that reads ``lr`` gets
``learning_rate`` as ``lr``, as a search gave it a schedule starting at 1.0.
"""

from __future__ import annotations

import collections
import functools
import inspect
from typing import Any
from collections.abc import Callable, Sequence

import optax

from discover.dsl import analysis
from discover.execute import interpreter
from discover.dsl.program import (Program)
from discover.dsl.hyperparameters import hyperparameters  # noqa: F401  (re-exported: export API)
from discover.dsl.hyperparameters import named as _hyperparameters


# --------------------------------------------------------------------------- state


def state_fields(slots: Sequence[str]) -> tuple[str, ...]:
  """The state's field names: ``count``, then one per slot, named after it.

  A slot that cannot be a NamedTuple field as it is (``count``, or a name starting with an
  underscore) becomes ``slot_<name>``.
  """
  fields = ["count"]
  for slot in slots:
    field = slot if slot != "count" and not slot.startswith("_") else f"slot_{slot.lstrip('_')}"
    while field in fields or field in slots and field != slot:
      field += "_"
    fields.append(field)
  return tuple(fields)


@functools.cache
def state_type(fields: tuple[str, ...]) -> type:
  """A NamedTuple type with these fields, one per tuple so jit sees a stable type."""
  return collections.namedtuple("DiscoveredState", fields)


# --------------------------------------------------------------------------- in memory


def to_optax(program: Program, learning_rate: optax.ScalarOrSchedule,
             **hyperparameter_values: Any) -> optax.GradientTransformation:
  """The program as an optax transformation with named hyperparameters.

  Args:
    program: a valid program.
    learning_rate: a number or an optax schedule. A program that reads ``lr`` sees its
      value as ``lr`` (a search fed ``lr`` a schedule starting at 1.0, so 1.0 is the step
      size it was found with). One that never reads it (``analysis.reads_lr``) has its
      update multiplied by it instead: 1.0 reproduces the rule as discovered.
    **hyperparameter_values: values by the names ``hyperparameters(program)`` gives, as
      numbers or (traced) arrays; the rest keep the program's values.

  Returns:
    A transformation with state ``DiscoveredState(count, <one field per slot>)``, whose
    ``update`` needs ``params``.

  Raises:
    TypeError: for a name that is not one of the program's hyperparameters.
    ProgramError: if the program is invalid.
  """
  known = _hyperparameters(program)
  unknown = sorted(set(hyperparameter_values) - {h.name for h in known})
  if unknown:
    raise TypeError(f"unknown hyperparameter {', '.join(map(repr, unknown))}; this program "
                    f"has {', '.join(h.name for h in known) or 'none'}")
  constants = {site: hyperparameter_values.get(h.name, h.value)
               for h in known for site in h.sites}
  state = state_type(state_fields(program.slots))
  run = functools.partial(_runner(program), constants=constants)
  return interpreter.transformation(
      program, learning_rate, run, pack=lambda count, slots: state(count, *slots),
      unpack=lambda opt_state: (opt_state[0], tuple(opt_state[1:])),
      # Else learning_rate would do nothing at all: no schedule, no tuning.
      scales_update=not analysis.reads_lr(program))


def _by_site(constants, site, value):
  """A hyperparameter's value where one is given for this site, else the text's."""
  return constants.get(site, value)


@functools.lru_cache(maxsize=256)
def _runner(program: Program) -> Callable:
  """``interpreter.runner`` with constants looked up by site (they may be traced).

  Cached: ``optax.inject_hyperparams`` calls ``to_optax`` on every update.
  """
  return interpreter.runner(program, _by_site)


def factory(program: Program, name: str = "optimizer") -> Callable[..., Any]:
  """``to_optax`` bound to a program, with a signature naming every hyperparameter.

  ``optax.inject_hyperparams`` reads a factory's signature to learn what it may inject, so
  ``optax.inject_hyperparams(factory(program))(learning_rate=0.1, b1=0.8)`` works.
  """
  known = _hyperparameters(program)

  def make(learning_rate, **hyperparameter_values):
    return to_optax(program, learning_rate, **hyperparameter_values)

  keyword_only = inspect.Parameter.KEYWORD_ONLY
  make.__signature__ = inspect.Signature(
      [inspect.Parameter("learning_rate", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
      + [inspect.Parameter(h.name, keyword_only, default=h.value) for h in known])
  make.__name__ = make.__qualname__ = name
  return make
