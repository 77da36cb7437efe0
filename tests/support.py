"""What several test modules share, in one place: test modules import this, never each
other (``conftest.py`` builds its fixtures from it too).

* ``random_program``: random valid programs (test_analysis, test_machine, test_parse,
  test_recovery).
* The malformed-program corpus: ``tests/malformed/`` holds one small malformed program per
  file, each with one problem; ``EXPECTED`` says where (the 1-based line, or None) and what
  (a substring of the message) the error must be. Inputs too big to commit are built at
  test time (``GENERATED``). test_parse checks them against the parser, test_bad_input
  through every command that reads a program.
* A shrunken search (``SMALL``, ``STAGED``, ``evolve_small``, ``interrupt_after``,
  ``stable``): test_search, test_finish and test_ray.
* A shrunken staged run for replay and report (``REPLAY_SMALL``, ``REPLAY_STAGED``,
  ``make_staged_run``, ``event_lines``): conftest's ``staged_run`` fixture makes it once
  per test process for test_replay and test_report.

Plain constants and functions live here rather than in fixtures because they parametrise
tests at collection time.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from discover.dsl import analysis
from discover.dsl.parse import MAX_FILE_BYTES
from discover.dsl.program import JSON_FORMAT, Const, Program, ProgramError, Statement, Var
from primitives import REGISTRY

# --- Random valid programs ---

# Ops whose results stay tame on small inputs, so random programs run without overflow.
TAME_OPS = ("add", "sub", "mul", "div", "interp", "sign", "sqrt", "abs", "tanh", "clip",
            "square", "max", "min", "negative", "global_norm", "clip_by_global_norm")


def random_program(rng: np.random.Generator, n_statements: int = 8, n_slots: int = 2,
                   ops=TAME_OPS, uses_step: bool = False) -> Program:
  """A random program that passes ``analysis.check``; its update depends on g."""
  slots = tuple(f"s{i}" for i in range(n_slots))
  while True:
    names = ["w", "g", *slots, "lr"] + (["step"] if uses_step else [])
    statements = []
    for i in range(n_statements):
      op = REGISTRY[ops[rng.integers(len(ops))]]
      args = tuple(Var(names[rng.integers(len(names))]) if rng.random() < 0.75
                   else Const(float(np.round(rng.normal(), 3))) for _ in range(op.arity))
      target = names[rng.integers(2, len(names))] if rng.random() < 0.3 else f"t{i}"
      statements.append(Statement(target, op.name, args))
      names.append(target)
    statements.append(Statement("update", "mul", (Var(statements[-1].target), Var("g"))))
    program = Program(slots, tuple(statements), "update", uses_step)
    try:
      analysis.check(program)
      return program
    except ProgramError:
      continue


# --- The malformed-program corpus (test_parse, test_bad_input) ---

CORPUS = Path(__file__).parent / "malformed"

_SIGNATURE = "signature must be (w, g, <state slots>, lr) or (w, g, <state slots>, lr, step)"
_RETURN = "return must list the update, then the state slots in signature order"
_PLAIN_PARAMETERS = "parameters must be plain names (no defaults, *args or **kwargs)"
_ONE_FUNCTION = "expected exactly one function, 'def train(w, g, <slots>, lr[, step]):'"
_OTHER_INFIX = "only the infix operators + - * / are supported"
_NESTED = "nested expressions are not supported: assign each call to a variable first"

# Corpus file -> (line of the error or None, substring of the message).
EXPECTED: dict[str, tuple[int | None, str]] = {
    # Not a program at all.
    "empty.py": (None, "empty program"),
    "whitespace_only.py": (None, "empty program"),
    "binary_garbage.py": (None, "not a text file (it contains NUL bytes)"),
    "invalid_utf8.py": (None, "not a UTF-8 text file"),
    "syntax_error.py": (1, "syntax error: expected ':'"),
    "indentation_error.py": (3, "syntax error: unexpected indent"),
    # Top level.
    "no_function.py": (2, _ONE_FUNCTION),
    "two_functions.py": (6, "expected exactly one function, found another one, 'helper'"),
    "top_level_code.py": (6, _ONE_FUNCTION),
    "class_at_top_level.py": (1, _ONE_FUNCTION),
    "import_top_level.py": (1, "imports are not supported: ops are called by their bare name"),
    "from_import_top_level.py": (1, "imports are not supported"),
    "async_function.py": (1, "async functions are not supported"),
    "decorator.py": (1, "decorators are not supported"),
    # Signature.
    "default_parameter.py": (1, _PLAIN_PARAMETERS),
    "star_args.py": (1, _PLAIN_PARAMETERS),
    "kwargs.py": (1, _PLAIN_PARAMETERS),
    "annotation.py": (1, "type annotations are not supported"),
    "signature_wrong_start.py": (1, _SIGNATURE),
    "signature_wrong_end.py": (1, _SIGNATURE),
    "signature_too_short.py": (1, _SIGNATURE),
    "duplicate_parameter.py": (1, "duplicate parameter 'm'"),
    "reserved_slot_name.py": (1, "'step' is reserved and cannot name a state slot"),
    "too_many_slots.py": (1, "too many state slots: 17 (at most 16)"),
    "long_slot_name_after_docstring.py": (4, "invalid variable name 'mmmmmmmm"),
    # Statements.
    "for_loop.py": (3, "loops are not supported"),
    "while_loop.py": (3, "loops are not supported"),
    "if_statement.py": (3, "conditionals are not supported"),
    "import_in_function.py": (2, "imports are not supported"),
    "expression_statement.py": (3, "an expression statement has no effect"),
    "pass_statement.py": (2, "'pass' is not supported"),
    "augmented_assignment.py": (3, "augmented assignment is not supported: write 'x = x + y'"),
    "tuple_unpacking.py": (2, "each statement assigns to exactly one variable name"),
    "chained_assignment.py": (2, "each statement assigns to exactly one variable name"),
    "bare_copy.py": (2, "a plain copy is not a call"),
    "bare_constant.py": (2, "a bare constant is not a call"),
    "long_name.py": (2, "invalid variable name 'xxxxxxxx"),
    # Expressions.
    "attribute_access.py": (2, "attribute access is not supported: call ops by their bare name"),
    "os_system_call.py": (2, "unsupported constant 'os': only numbers"),
    "lambda.py": (2, "lambdas are not supported"),
    "subscript.py": (2, "indexing is not supported"),
    "conditional_expression.py": (2, "conditional expressions are not supported"),
    "nested_call.py": (2, _NESTED),
    "nested_arithmetic.py": (2, _NESTED),
    "keyword_argument.py": (2, "keyword arguments are not supported"),
    "starred_argument.py": (2, "starred arguments are not supported"),
    "power_operator.py": (2, _OTHER_INFIX + "; use power(x, y)"),
    "matmul_operator.py": (2, _OTHER_INFIX),
    # Constants.
    "string_constant.py": (2, "unsupported constant 'fast': only numbers"),
    "boolean_constant.py": (2, "unsupported constant True: only numbers"),
    "none_constant.py": (2, "unsupported constant None: only numbers"),
    "complex_constant.py": (2, "unsupported constant 2j: only numbers"),
    "huge_constant.py": (2, "constant 1e+40 is out of range (|c| <= 1e+30)"),
    "inf_constant.py": (2, "constant is not finite"),
    "huge_integer.py": (2, "constant is out of range"),
    # Meaning: ops, variables, kinds.
    "unknown_function.py": (2, "unknown function 'frobnicate'"),
    "wrong_arity.py": (2, "'interp' takes 3 arguments, got 2"),
    "undefined_variable.py": (2, "undefined variable 'mom'"),
    "use_before_assignment.py": (3, "undefined variable 'later'"),
    "undefined_return.py": (3, "undefined variable 'update'"),
    "tree_op_on_scalar.py": (2, "argument 1 of 'global_norm' must be a tree, got a scalar"),
    "clip_by_global_norm_tree_limit.py":
        (2, "argument 2 of 'clip_by_global_norm' must be a scalar, got a tree"),
    "scalar_update.py": (2, "the update must be a tree shaped like w, but 'lr' is a scalar"),
    "scalar_state_slot.py": (4, "state slot 'm' must be a tree shaped like w, but 'm' is a scalar"),
    # Return.
    "missing_return.py": (3, "missing 'return update, <state slots>' at the end"),
    "bare_return.py": (3, _RETURN + ": 'return <update>'"),
    "return_expression.py": (2, _RETURN),
    "return_wrong_order.py": (5, _RETURN + ": 'return <update>, m, v'"),
    "return_missing_slot.py": (4, _RETURN + ": 'return <update>, m'"),
    "statement_after_return.py": (4, "statements after 'return' are not allowed"),
    # The JSON form (read as the CLI reads a .json file).
    "invalid_json.json": (2, "invalid JSON: Expecting value"),
    "wrong_json_format.json": (None, f"not a program in the '{JSON_FORMAT}' JSON format"),
    "json_missing_key.json": (None, "malformed program JSON: missing 'update'"),
    "json_unknown_op.json": (None, "statement 1: unknown function 'frobnicate'"),
}

TRAIN = "def train(w, g, lr):\n"


def _write(name: str, content: str | bytes):
  def make(directory: Path) -> Path:
    path = directory / name
    if isinstance(content, bytes):
      path.write_bytes(content)
    else:
      path.write_text(content, encoding="utf-8")
    return path
  return make


def enormous_program() -> str:
  n = analysis.MAX_STATEMENTS + 1
  return TRAIN + "  update = g * lr\n" * n + "  return update\n"


def _over_one_mib() -> str:
  padding = "# padding padding padding padding padding padding padding padding\n"
  body = "  update = g * lr\n  return update\n"
  return TRAIN + padding * (MAX_FILE_BYTES // len(padding) + 1) + body


# Name -> (writes the file into a directory and returns its path, line, message substring).
GENERATED = {
    "enormous_program.py": (_write("enormous_program.py", enormous_program()), None,
                            "program too long: 1001 statements (at most 1000)"),
    "over_one_mib.py": (_write("over_one_mib.py", _over_one_mib()), None,
                        "larger than 1 MiB"),
    "deep_parentheses.py": (
        _write("deep_parentheses.py",
               TRAIN + "  update = " + "(" * 200_000 + "g" + ")" * 200_000 + "\n"
               "  return update\n"), 2, "syntax error: too many nested parentheses"),
    "unclosed_parentheses.py": (_write("unclosed_parentheses.py", TRAIN + "  u = " +
                                       "(" * 200_000 + "\n"), 2, "too many nested parentheses"),
    "deep_unary_minus.py": (_write("deep_unary_minus.py",
                                   TRAIN + "  update = " + "-" * 100_000 + "g\n"
                                   "  return update\n"), None, "nested too deeply to parse"),
}


def corpus_files() -> list[Path]:
  return sorted(p for p in CORPUS.iterdir() if p.is_file())


# --- A shrunken search (test_search, test_finish, test_ray) ---

SMALL = ["search.population=8", "search.tournament=3", "evaluation.tasks=[logistic]",
         "evaluation.workers=1", "run.checkpoint_every=5", "funnel.tasks=[]",
         "meta_validation.tasks=[]"]
# Funnel and meta-validation stages on cheap tasks.
STAGED = ["funnel.tasks=[quadratic]", "funnel.seeds=[1]", "funnel.threshold=-100.0",
          "meta_validation.tasks=[noisy_quadratic]", "meta_validation.every=10"]


def evolve_small(tmp_path, budget, extra=(), resume=None):
  """``evolve`` on ``SMALL`` (plus ``extra``) under ``tmp_path``, or resumes ``resume``;
  its summary and run directory."""
  from discover.commands import evolve
  overrides = [] if resume else SMALL + [f"run.root={tmp_path}"] + list(extra)
  summary = evolve(None, overrides, budget, resume, progress=False)
  run_dir = resume or summary.split("run directory: ")[1].split(" (")[0]
  return summary, run_dir


def stable(events):
  """Events without their timings."""
  return [{k: v for k, v in e.items() if k not in ("time", "seconds")} for e in events]


def interrupt_after(monkeypatch, n):
  """Makes the search raise KeyboardInterrupt (as Ctrl-C would) after n proxy results."""
  from discover.search import loop as search_lib
  original, calls = search_lib.Search.record, []

  def record_then_interrupt(self, pending, evaluation):
    original(self, pending, evaluation)
    calls.append(pending.child.id)
    if len(calls) == n:
      raise KeyboardInterrupt

  monkeypatch.setattr(search_lib.Search, "record", record_then_interrupt)


# --- A shrunken staged run (test_replay, test_report; conftest's staged_run) ---

REPLAY_SMALL = ["search.population=8", "search.tournament=3", "search.restart_after=6",
                "evaluation.tasks=[logistic]", "evaluation.workers=1",
                "run.checkpoint_every=5"]
# One task for all stages: a replay costs one compile per task.
REPLAY_STAGED = ["funnel.tasks=[logistic]", "funnel.seeds=[1]", "funnel.threshold=-100.0",
                 "meta_validation.tasks=[logistic]", "meta_validation.seeds=[2]",
                 "meta_validation.every=10"]


# The paper's mutations, drawn uniformly and free to break lr's linearity: children that
# diverge and duplicates in behaviour come often, so short runs exercise those paths.
PAPER_MUTATIONS = ["mutation.wrap=0", "mutation.slot=0", "mutation.swap_op=0", "mutation.term=0",
                   "mutation.op_prior_weight=1.0", "mutation.protect_lr=false"]


def make_staged_run(root: Path) -> Path:
  """A 25-evaluation run under ``root`` with proxy, funnel and meta stages; its directory."""
  from discover.commands import evolve
  summary = evolve(None, REPLAY_SMALL + REPLAY_STAGED + PAPER_MUTATIONS + [f"run.root={root}"],
                   "25", None, progress=False)
  return Path(summary.split("run directory: ")[1].split(" (")[0])


def event_lines(run_dir: Path) -> list[dict]:
  """Every line of the run's events.jsonl."""
  return [json.loads(line) for line in (run_dir / "events.jsonl").read_text().splitlines()]
