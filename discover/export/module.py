"""A program as the text of a standalone, optax-style module.

``module_source(program, name)`` writes a factory ``name(learning_rate, b1=..., ...)`` and
a state ``NamedTuple`` in a module that imports only jax and optax. Each statement's code
comes from its registry op's ``template``; the conventions are those of
``discover.export.transform``, whose state fields the module shares.
"""

from __future__ import annotations

import builtins
import keyword
import re
import textwrap
import unicodedata
from collections.abc import Sequence

from discover.dsl import analysis
from discover.execute import behaviour
from discover.dsl.program import (GRADIENT, LEARNING_RATE, STEP, WEIGHTS, Const, Program, Var,
                                  format_constant, to_text)
from discover.dsl.hyperparameters import named as _hyperparameters
from discover.export.transform import state_fields
from primitives import DIV_EPS, LOG_FLOOR, REGISTRY, Kind


# --------------------------------------------------------------------------- helpers


# Module-level helpers of the exported code: (source, the helpers it calls).
_HELPERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "_safe_denominator": (f'''\
def _safe_denominator(y):
  """y with its magnitude raised to at least {DIV_EPS:g}, keeping its sign (0 is positive)."""
  floor = jnp.where(y < 0, -{DIV_EPS!r}, {DIV_EPS!r}).astype(jnp.result_type(y))
  return jnp.where(jnp.abs(y) < {DIV_EPS!r}, floor, y)
''', ()),
    "_power": ('''\
def _power(x, y):
  """|x| ** y; integral exponents take lax.pow's integer path, as optax's b1 ** count."""
  base = jnp.abs(x)
  rounded = jnp.round(y)
  integral = (y == rounded) & (jnp.abs(y) < 2.0**24)
  exact = jax.lax.pow(base, rounded.astype(jnp.int32))
  return jnp.where(integral, exact, jnp.power(base, y))
''', ()),
    "_leaf_norm": ('''\
def _leaf_norm(x):
  """The L2 norm of one leaf, broadcast to its shape."""
  x = jnp.asarray(x)
  return jnp.broadcast_to(jnp.sqrt(jnp.sum(x * x)), x.shape)
''', ()),
    "_tree_sum": ('''\
def _tree_sum(fn, *trees):
  """The sum over all leaves of fn applied to matching leaves."""
  return sum(jnp.sum(fn(*leaves)) for leaves in zip(*map(jax.tree.leaves, trees)))
''', ()),
    "_global_norm": ('''\
def _global_norm(x):
  """The L2 norm of a whole tree."""
  return jnp.sqrt(_tree_sum(lambda a: a * a, x))
''', ("_tree_sum",)),
    "_dot": ('''\
def _dot(x, y):
  """The sum over a tree of x * y."""
  return _tree_sum(lambda a, b: a * b, x, y)
''', ("_tree_sum",)),
    "_cosine_sim": (f'''\
def _cosine_sim(x, y):
  """dot(x, y) / (|x| |y|); 0 for a zero tree."""
  return _dot(x, y) / jnp.maximum(_global_norm(x) * _global_norm(y), {LOG_FLOOR!r})
''', ("_dot", "_global_norm")),
    "_clip_by_global_norm": (f'''\
def _clip_by_global_norm(x, c):
  """x scaled down so that its global norm is at most |c|."""
  norm, bound = _global_norm(x), jnp.abs(c)
  scale = jnp.where(norm <= bound, 1.0, bound / jnp.maximum(norm, {LOG_FLOOR!r}))
  return jax.tree.map(lambda a: (a * scale).astype(a.dtype), x)
''', ("_global_norm",)),
    "_unzip": ('''\
def _unzip(like, tree, n):
  """Splits a tree of n-tuples, one per leaf of like, into n trees."""
  return tuple(jax.tree.map(lambda _, t: t[i], like, tree) for i in range(n))
''', ()),
    "_zeros_like": ('''\
def _zeros_like(params):
  # Explicit dtypes: zeros_like would keep weak types, which the first update drops, and
  # the changed state signature would make jit compile a second time.
  return jax.tree.map(lambda p: jnp.zeros(jnp.shape(p), jnp.result_type(p)), params)
''', ()),
    "_cast_like": ('''\
def _cast_like(tree, like):
  return jax.tree.map(lambda x, ref: jnp.asarray(x).astype(ref.dtype), tree, like)
''', ()),
}

# Names the exported code defines or calls, which program variables must not shadow.
_MODULE_NAMES = {"jax", "jnp", "optax", "NamedTuple", *_HELPERS}
# Nor may the factory, a module-level name, shadow a builtin: the module's code calls sum,
# zip, callable, ... and would find the factory instead.
_GLOBAL_NAMES = _MODULE_NAMES | set(dir(builtins))
_UPDATE_NAMES = {"train", "init_fn", "update_fn", "updates", "state", "params", "out",
                 "update", "new_state", "learning_rate", "callable", "ValueError"}


# --------------------------------------------------------------------------- module


def factory_name(stem: str) -> str:
  """A factory name made from a file's stem (``my-opt`` -> ``my_opt``), in the NFKC form
  Python reads identifiers in (``ｊａｘ`` is ``jax``, so it becomes ``jax_optimizer``)."""
  name = normalized(re.sub(r"\W", "_", normalized(stem)))
  if not name.isidentifier() or keyword.iskeyword(name):
    return "optimizer"
  return name if name not in _GLOBAL_NAMES else f"{name}_optimizer"


def normalized(name: str) -> str:
  """``name`` as Python's parser reads it: identifiers are NFKC-normalised, so names that
  differ only in their Unicode form (full-width ``ｊａｘ`` and ``jax``) are one name, and
  only normalised names can be compared."""
  return unicodedata.normalize("NFKC", name)


def factory_signature(program: Program, name: str) -> str:
  """The exported factory's signature, e.g. ``lion(learning_rate, b1=0.9, ...)``."""
  params = ["learning_rate"] + [f"{h.name}={format_constant(h.value)}"
                                for h in _hyperparameters(program)]
  return f"{name}({', '.join(params)})"


def module_source(program: Program, name: str = "optimizer", *,
                  description: str | None = None, per_leaf: bool | None = None) -> str:
  """The text of a standalone optax-style module for the program.

  Args:
    program: a valid program.
    name: the factory's name (a Python identifier, not ``jax``, ``optax``, a builtin,
      ... once NFKC-normalised, as Python reads it; the module spells it normalised).
    description: a paragraph for the module docstring (e.g. a baseline's conventions).
    per_leaf: write the program as one function over leaves (readable; only possible
      without tree-level ops) or over whole trees. None: per leaf where possible.

  Returns:
    Python source that imports only jax, optax and typing.

  Raises:
    ProgramError: if the program is invalid.
    ValueError: for a name that cannot be the factory's, or per_leaf=True for a program
      with tree-level ops.
  """
  kinds = analysis.check(program)
  factory = normalized(name)
  if not factory.isidentifier() or keyword.iskeyword(factory) or factory in _GLOBAL_NAMES:
    raise ValueError(f"{name!r} cannot name the exported factory")
  live = sorted(analysis.live_statements(program))
  tree_level = any(not REGISTRY[program.statements[i].op].leafwise for i in live)
  if per_leaf and tree_level:
    raise ValueError("a program with tree-level ops cannot run per leaf")
  writer = _Writer(program, kinds, factory, per_leaf=not tree_level if per_leaf is None
                   else per_leaf)
  return writer.module(description)


_WIDTH = 92


class _Writer:
  """Writes one program's module; holds the names all of its parts agree on."""

  def __init__(self, program: Program, kinds: list[Kind], name: str, per_leaf: bool):
    self.program, self.kinds, self.name, self.per_leaf = program, kinds, name, per_leaf
    self.hyper = _hyperparameters(program)
    self.site_names = {site: h.name for h in self.hyper for site in h.sites}
    self.live = sorted(analysis.live_statements(program))
    self.useful = analysis.useful_slots(program)
    self.reads_lr = analysis.reads_lr(program)
    # Measured, not derived: None (unknown) where the probe's updates are not finite.
    self.proportional = behaviour.lr_proportional(program) if self.reads_lr else None
    # Normalised: capitalising can leave the NFKC form ('ΐ' becomes 'Ι' and two accents).
    self.state_class = normalized("".join(p.capitalize() for p in name.split("_") if p)
                                  + "State")
    self.fields = dict(zip(program.slots, state_fields(program.slots)[1:]))
    self.names = self._variable_names()
    self.helpers = {"_zeros_like", "_cast_like"} | ({"_unzip"} if per_leaf and self.useful
                                                      else set())

  def _variable_names(self) -> dict[str, str]:
    """Program variable -> its name in the module, renamed where it would shadow ours."""
    program = self.program
    reserved = _MODULE_NAMES | {h.name for h in self.hyper} | {self.name, self.state_class}
    variables = list(dict.fromkeys([*program.inputs, *(s.target for s in program.statements)]))
    taken = set(variables) | reserved | _UPDATE_NAMES
    names = {}
    for var in variables:
      # Slots are named in update_fn too, among its own locals.
      clash = reserved | (_UPDATE_NAMES if var in program.slots else set())
      # Compared as Python reads them (a checked program's names are normalised already).
      new = normalized(var)
      while new in clash or (new != var and new in taken):
        new += "_"
      names[var] = new
      taken.add(new)
    return names

  def _arg(self, i: int, k: int) -> str:
    arg = self.program.statements[i].args[k]
    if isinstance(arg, Var):
      return self.names[arg.name]
    if (i, k) in self.site_names:
      return self.site_names[(i, k)]
    text = format_constant(arg.value)
    return f"({text})" if arg.value < 0 else text

  def _body(self) -> tuple[list[str], list[str]]:
    """train's statements, and the docstring's math, one line per live statement."""
    program = self.program
    kind_of = analysis.input_kinds(program)
    floats: set[str] = set()  # variables that may hold Python floats
    lines, math_lines = [], []
    for i in self.live:
      stmt = program.statements[i]
      template = REGISTRY[stmt.op].template
      args = [self._arg(i, k) for k in range(len(stmt.args))]
      all_floats = all(isinstance(a, Const) or a.name in floats for a in stmt.args)
      source = template.source
      if template.on_python_floats and all_floats:
        source = template.on_python_floats
      expression = source.format(*args)
      trees = list(dict.fromkeys(self.names[a.name] for a in stmt.args
                                 if isinstance(a, Var) and kind_of[a.name] is Kind.TREE))
      if not self.per_leaf and REGISTRY[stmt.op].leafwise and trees:
        expression = _mapped(expression, trees)
      floats.discard(stmt.target)
      if all_floats and template.python_arithmetic:
        floats.add(stmt.target)
      kind_of[stmt.target] = self.kinds[i]
      self._need(template.helpers)
      target = self.names[stmt.target]
      lines.append(f"{target} = {expression}")
      math_lines.append(f"{target} = {template.math.format(*args)}")
    return lines, math_lines

  def _need(self, helpers: Sequence[str]) -> None:
    for helper in helpers:
      if helper not in self.helpers:
        self.helpers.add(helper)
        self._need(_HELPERS[helper][1])

  def module(self, description: str | None) -> str:
    body, math_lines = self._body()
    factory_text = self._factory(body)  # before the helpers: it may need more of them
    helpers = "\n\n".join(_HELPERS[h][0] for h in _HELPERS if h in self.helpers)
    return "\n".join([
        self._docstring(description, math_lines),
        "from typing import NamedTuple\n\nimport jax\nimport jax.numpy as jnp\nimport optax\n\n",
        self._state_class(), "", factory_text, "",
        "# Helpers: the DSL's safe forms and tree plumbing.\n\n", helpers])

  def _docstring(self, description: str | None, math_lines: list[str]) -> str:
    program = self.program
    paragraphs = [f"{self.name}: an optimizer exported from a discover program."]
    if description:
      paragraphs.append(textwrap.fill(description, _WIDTH))
    paragraphs += [
        "The program, in discover's DSL (it returns the amount to subtract from the weights)::",
        textwrap.indent(to_text(program).rstrip("\n"), "    "),
        "What it computes, one line per statement that runs, hyperparameters named::",
        textwrap.indent("\n".join(math_lines + [f"return {self._returned()}"]), "    "),
        textwrap.fill(self._conventions(), _WIDTH),
        textwrap.fill(self._step_size(), _WIDTH),
        "Generated by ``python -m discover export``; it needs only jax and optax.",
    ]
    return '"""' + "\n\n".join(paragraphs) + '\n"""\n'

  def _conventions(self) -> str:
    program = self.program
    ops = {program.statements[i].op for i in self.live}
    unused = [s for s in program.slots if s not in self.useful]
    text = ("Conventions: ``lr`` is the learning rate (a schedule's value at the update "
            "count, so at 0 on the first update)")
    text += " and ``step`` the 1-based update number. " if program.uses_step else ". "
    if ops & {"div", "reciprocal"}:
      text += (f"Division raises the denominator's magnitude to at least {DIV_EPS:g}, "
               "keeping its sign. ")
    on_magnitude = sorted(ops & {"sqrt", "log", "log2", "log10"})
    if on_magnitude:
      text += f"{' and '.join(on_magnitude)} act{'s' * (len(on_magnitude) == 1)} on |x|. "
    if ops & {"power"}:
      text += "power(x, y) is |x|^y. "
    text += ("The transformation returns minus the program's update (optax adds updates); "
             "updates and state keep the parameters' dtypes.")
    if unused:
      text += f" State slots that never influence the update ({', '.join(unused)}) stay zero."
    return text

  def _step_size(self) -> str:
    """What learning_rate does to this rule, the first thing a user of it needs to know."""
    if not self.reads_lr:
      return ("This rule never reads lr: learning_rate multiplies its update; "
              "1.0 is the step size the search found.")
    text = ("The factory's learning_rate is passed to the rule as lr. A search feeds lr "
            "a schedule starting at 1.0, so for a discovered rule learning_rate=1.0 (or "
            "optax.cosine_decay_schedule(1.0, steps)) reproduces the step size it was "
            "found with; scale from there.")
    if self.proportional is False:
      text += (" Careful: lr enters this rule nonlinearly (doubling it does not double the "
               "update), so learning_rate does not simply scale its step.")
    return text

  def _returned(self) -> str:
    return ", ".join(self.names[n] for n in (self.program.update, *self.useful))

  def _state_class(self) -> str:
    fields = "".join(f"  {f}: optax.Updates\n" for f in self.fields.values())
    return (f"class {self.state_class}(NamedTuple):\n"
            f'  """The update count, and one tree per state slot shaped like the '
            f'parameters."""\n\n  count: jax.Array\n{fields}')

  def _factory(self, body: list[str]) -> str:
    hyper = self.hyper
    params = ["learning_rate: optax.ScalarOrSchedule"] + [
        f"{h.name}: float = {format_constant(h.value)}" for h in hyper]
    lines = _wrap(f"def {self.name}(", params, ") -> optax.GradientTransformation:")
    lines += ['  """The program as an optax transformation.', "", "  Args:"]
    step = ("the program's ``lr``." if self.reads_lr else "it multiplies the update (the "
            "program never reads ``lr``); 1.0 is the step size the search found.")
    lines += textwrap.wrap(f"learning_rate: a number or an optax schedule; {step}", _WIDTH,
                           initial_indent="    ", subsequent_indent="      ")
    for h in hyper:
      where = ", ".join(str(i + 2) for i in sorted({i for i, _ in h.sites}))
      text = (f"{h.name}: {h.role} (program line{'s' * (',' in where)} {where}); "
              f"default {format_constant(h.value)}.")
      lines += textwrap.wrap(text, _WIDTH, initial_indent="    ", subsequent_indent="      ")
    lines += ["", "  Returns:",
              "    An ``optax.GradientTransformation`` whose ``update`` needs ``params``.",
              '  """', ""]
    lines += self._train(body) + [""] + self._init() + [""] + self._update()
    lines += ["", "  return optax.GradientTransformation(init_fn, update_fn)"]
    return "\n".join(lines) + "\n"

  def _train_inputs(self) -> list[str]:
    program = self.program
    return ([WEIGHTS, GRADIENT] + [self.names[s] for s in self.useful] + [LEARNING_RATE]
            + ([STEP] if program.uses_step else []))

  def _train(self, body: list[str]) -> list[str]:
    over = "one leaf of each tree" if self.per_leaf else "whole trees"
    lines = [f"  def train({', '.join(self._train_inputs())}):",
             f'    """One update on {over}: the update, then the new state slots."""']
    return lines + [f"    {line}" for line in body] + [f"    return {self._returned()}"]

  def _init(self) -> list[str]:
    fields = ["count=jnp.zeros([], jnp.int32)"] + [
        f"{f}=_zeros_like(params)" for f in self.fields.values()]
    return (["  def init_fn(params):"]
            + _wrap(f"    return {self.state_class}(", fields, ")", indent="        "))

  def _update(self) -> list[str]:
    program = self.program
    lines = ["  def update_fn(updates, state, params=None):",
             "    if params is None:",
             f'      raise ValueError("{self.name} reads the weights: pass params to update")',
             "    lr = learning_rate(state.count) if callable(learning_rate) else "
             "learning_rate",
             "    lr = jnp.asarray(lr, jnp.float32)"]
    if program.uses_step:
      lines.append("    step = (state.count + 1).astype(jnp.float32)")
    slots = [self.names[s] for s in self.useful]
    old = [f"state.{self.fields[s]}" for s in self.useful]
    scalars = [LEARNING_RATE] + ([STEP] if program.uses_step else [])
    outputs = ", ".join(["update", *slots])
    if self.per_leaf:
      leaves = [WEIGHTS, GRADIENT, *slots]
      step_leaf = f"lambda {', '.join(leaves)}: train({', '.join(leaves + scalars)})"
      lines += _wrap(f"    {'out' if slots else 'update'} = jax.tree.map(",
                     [step_leaf, "params", "updates", *old], ")", indent="        ")
      if slots:
        lines.append(f"    {outputs} = _unzip(params, out, {len(slots) + 1})")
    else:
      lines.append(f"    {outputs} = train({', '.join(['params', 'updates', *old, *scalars])})")
    if not self.reads_lr:
      lines += ["    # The rule never reads lr: learning_rate scales its update.",
                "    update = jax.tree.map(lambda u: u * lr, update)"]
    new = {s: f"_cast_like({self.names[s]}, state.{self.fields[s]})" for s in self.useful}
    fields = ["count=optax.safe_increment(state.count)"] + [
        f"{self.fields[s]}={new.get(s, f'state.{self.fields[s]}')}" for s in program.slots]
    lines += _wrap(f"    new_state = {self.state_class}(", fields, ")", indent="        ")
    lines.append("    return _cast_like(jax.tree.map(jnp.negative, update), params), new_state")
    return lines


def _mapped(expression: str, trees: list[str]) -> str:
  """``expression`` over leaves, mapped over the named trees."""
  call = re.fullmatch(r"([\w.]+)\((\w+)\)", expression)
  if call and [call.group(2)] == trees:  # jnp.sign(x) -> jax.tree.map(jnp.sign, x)
    return f"jax.tree.map({call.group(1)}, {trees[0]})"
  return f"jax.tree.map(lambda {', '.join(trees)}: {expression}, {', '.join(trees)})"


def _wrap(head: str, items: list[str], tail: str, indent: str | None = None) -> list[str]:
  """``head + items + tail`` on one line if it fits, else broken between items."""
  indent = " " * len(head) if indent is None else indent
  lines, line = [], head
  for n, item in enumerate(items):
    piece = item + (", " if n < len(items) - 1 else tail)
    if len(line) + len(piece.rstrip()) > _WIDTH and line.strip() != head.strip():
      lines.append(line.rstrip())
      line = indent
    line += piece
  return lines + [line]
