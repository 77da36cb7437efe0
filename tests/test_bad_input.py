"""Bad input through the real CLI: one stderr line, exit code 2, no traceback, nothing made.

``tests/malformed_configs/`` holds one malformed config per file and ``CONFIGS`` says what
each error must say (``{path}`` stands for the file). Each runs in process through
``discover.__main__.main(["evolve", "--config", FILE])`` from an empty working directory
in which creating a run directory fails the test: a bad config must be refused before any
run starts. Inputs that cannot be committed (a missing file, a directory, a FIFO, a file
over 1 MiB, very deep nesting) are made at test time. Malformed ``--set`` and ``--budget``
values follow, then the program corpus (``tests/support.py``) through every command that
reads a program, and payloads that would run code or write files if anything executed
them. A few cases run in real ``python -m discover`` processes, started together because
each pays for importing JAX.
"""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
import yaml

from discover.dsl import analysis
from discover.errors import MAX_ERROR_LENGTH, one_line
from discover.search import rundir as runs
from discover.__main__ import main
from support import CORPUS, EXPECTED, GENERATED, corpus_files

ROOT = Path(__file__).resolve().parents[1]
CONFIG_CORPUS = ROOT / "tests" / "malformed_configs"
SENTINEL = "pwned"  # what the payloads in the corpus would create in the working directory

_CONSTRUCTOR = "invalid YAML (could not determine a constructor for the tag "
_PYTHON_TAG = _CONSTRUCTOR + "'tag:yaml.org,2002:python/"
_MAPPING = "{path}: a config is a mapping of keys to values"
_EMPTY = "{path}: the config is empty; leave out --config to use the defaults"
_BUDGET = "search.budget: expected a count (500) or a time (90s, 10m, 2h), got "

# Corpus file -> a substring of its error ({path}: the file as given on the command line).
CONFIGS: dict[str, str] = {
    # Not a config at all.
    "empty.yaml": _EMPTY,
    "comments_only.yaml": _EMPTY,
    "whitespace_only.yaml": _EMPTY,
    "binary_garbage.yaml": "cannot read config {path}: not a text file (it contains NUL bytes)",
    "utf16_text.yaml": "cannot read config {path}: not a text file (it contains NUL bytes)",
    "invalid_utf8.yaml": "cannot read config {path}: not a UTF-8 text file",
    "latin1_text.yaml": "cannot read config {path}: not a UTF-8 text file",
    "control_character.yaml": "{path}: invalid YAML (unacceptable character #x0007",
    "scalar_document.yaml": _MAPPING,
    "list_document.yaml": _MAPPING,
    "number_document.yaml": _MAPPING,
    "missing_colon.yaml": _MAPPING,
    "multiple_documents.yaml": "{path}: invalid YAML (expected a single document in the "
                               "stream, but found another document, line 2)",
    # YAML syntax.
    "unclosed_bracket.yaml": "{path}: invalid YAML (while parsing a flow sequence, "
                             "expected ',' or ']', but got '<stream end>', line 3)",
    "bad_indentation.yaml": "{path}: invalid YAML (while parsing a block mapping, expected "
                            "<block end>, but found '<block mapping start>', line 3)",
    "tab_indentation.yaml": "{path}: invalid YAML (while scanning for the next token, found "
                            "character '\\t' that cannot start any token, line 2)",
    "unterminated_string.yaml": "{path}: invalid YAML (while scanning a quoted scalar, found "
                                "unexpected end of stream, line 3)",
    "duplicate_key.yaml": "{path}: invalid YAML (key 'population' given twice, line 3)",
    "duplicate_section.yaml": "{path}: invalid YAML (key 'search' given twice, line 5)",
    "undefined_alias.yaml": "{path}: invalid YAML (found undefined alias 'nothing', line 1)",
    "unhashable_key.yaml": "{path}: invalid YAML (while constructing a mapping, found "
                           "unhashable key, line 1)",
    # Keys.
    "unknown_section.yaml": "unknown key 'serch' (known: seed, search, mutation, evaluation,",
    "unknown_key.yaml": "unknown key 'search.populaton' (known: search.start, "
                        "search.population,",
    "capitalised_key.yaml": "unknown key 'Search' (known: seed, search,",
    "dotted_key.yaml": "unknown key 'search.population' (known: seed, search,",
    "integer_key.yaml": "unknown key '1' (known: seed,",
    "null_key.yaml": "unknown key 'None' (known: seed,",
    "key_with_newline.yaml": "unknown key 'search.'popu\\nlation'' (known: search.start,",
    "merged_unknown_key.yaml": "unknown key 'search.populaton'",
    # Types.
    "population_word.yaml": "search.population: expected an integer, got 'many'",
    "population_float.yaml": "search.population: expected an integer, got 50.5",
    "population_bool.yaml": "search.population: expected an integer, got True",
    "population_mapping.yaml": "search.population: expected an integer, got {'value': 50}",
    "self_reference.yaml": "search.population: expected an integer, got {'population': {'pop",
    "section_scalar.yaml": "search: expected a mapping, got 5",
    "section_list.yaml": "mutation: expected a mapping, got ['insert', 'delete']",
    "section_null.yaml": "evaluation: expected a mapping, got None",
    "set_tag.yaml": "search: expected a mapping, got {'",
    "seeds_scalar.yaml": "evaluation.seeds: expected a list of int, got 0",
    "seeds_mixed.yaml": "evaluation.seeds: expected a list of int, got [0, 'one']",
    "tasks_nested.yaml": "evaluation.tasks: expected a list of str, got [['quadratic']]",
    "weight_word.yaml": "mutation.insert: expected a finite number, got 'lots'",
    "flag_string.yaml": "search.behaviour_hash: expected true or false, got 'true'",
    "start_number.yaml": "search.start: expected a string, got 5",
    "binary_tag.yaml": "search.start: expected a string, got b'adamw'",
    "date_value.yaml": "seed: expected an integer, got datetime.date(2024, 1, 1)",
    "impossible_date.yaml": "{path}: invalid YAML (a value cannot be built: month must be "
                            "in 1..12)",
    "empty_int_tag.yaml": "{path}: invalid YAML (a value cannot be built: string index out",
    "ops_string.yaml": 'mutation.ops: expected "all" or a list of op names, got \'sign\'',
    "unknown_op.yaml": "mutation.ops: unknown op 'frobnicate' (known: pi, e, eps, abs, sign,",
    "no_ops.yaml": "mutation.ops: inserts need at least one op (or set mutation.insert: 0)",
    # Out of range.
    "population_zero.yaml": "search.population: must be positive, got 0",
    "population_negative.yaml": "search.population: must be positive, got -5",
    "population_huge.yaml": "search.population: must be at most 100000, got 1000000000000",
    "tournament_over_population.yaml": "search.tournament: cannot exceed search.population",
    "negative_seed.yaml": "seed: must be >= 0, got -1",
    "workers_zero.yaml": "evaluation.workers: must be positive, got 0",
    "workers_huge.yaml": "evaluation.workers: must be at most 1024, got 100000",
    "negative_weight.yaml": "mutation.delete: must be >= 0, got -1.0",
    "all_weights_zero.yaml": "mutation: one of the mutation weights must be positive",
    "nan_weight.yaml": "mutation.insert: expected a finite number, got nan",
    "infinite_threshold.yaml": "funnel.threshold: expected a finite number, got inf",
    "huge_float.yaml": "mutation.modify: expected a finite number, got inf",
    "huge_integer_weight.yaml": "mutation.insert: expected a finite number, got 1000000000",
    "huge_integer.yaml": "{path}: invalid YAML (a value cannot be built: Exceeds the limit "
                         "(4300 digits) for integer string conversion: value has 5001 digits)",
    "budget_word.yaml": _BUDGET + "'forever'",
    "budget_zero.yaml": _BUDGET + "0",
    "budget_unit.yaml": _BUDGET + "'10d'",
    "budget_fraction.yaml": "search.budget: a number of evaluations must be whole, got '2.5'",
    "budget_huge.yaml": "search.budget: too large, got '1000000000",
    "no_tasks.yaml": "evaluation.tasks: needs at least one task, got []",
    "no_seeds.yaml": "evaluation.seeds: needs at least one seed, got []",
    "unknown_method.yaml": "evaluation.method: must be machine or compiled, got 'fast'",
    "unknown_aggregate.yaml": "evaluation.aggregate: must be mean or min, got 'median'",
    "unknown_executor.yaml": "evaluation.executor: must be serial, pool or ray, got 'cluster'",
    "negative_lr_scale.yaml": "funnel.lr_scales: needs a list of positive numbers, got [-1.0]",
    "zero_timeout.yaml": "evaluation.timeout: must be positive, got 0.0",
    # Tags that build Python objects under yaml.unsafe_load, and alias bombs.
    "python_object_apply.yaml": "{path}: " + _PYTHON_TAG + "object/apply:os.system', line 1)",
    "python_object_new.yaml": "{path}: " + _PYTHON_TAG + "object/new:os.system', line 1)",
    "python_name.yaml": "{path}: " + _PYTHON_TAG + "name:os.system', line 2)",
    "python_module.yaml": "{path}: " + _PYTHON_TAG + "module:os', line 2)",
    "python_tag_directive.yaml": "{path}: " + _PYTHON_TAG + "object/apply:os.system', line 3)",
    "python_tag_on_key.yaml": "{path}: " + _PYTHON_TAG + "object/apply:os.system', line 1)",
    "python_tag_in_merge.yaml": "{path}: invalid YAML (while constructing a mapping, expected "
                                "a mapping for merging, but found scalar, line 2)",
    "local_tag.yaml": "{path}: " + _CONSTRUCTOR + "'!custom', line 1)",
    "billion_laughs.yaml": "evaluation.tasks: expected a list of str, got [['lol', 'lol',",
    "merge_key_bomb.yaml": "{path}: invalid YAML (merge keys (<<) expand a mapping past "
                           "10000 keys, line 7)",
}

# Corpus files that do run code under yaml.unsafe_load: their harmlessness here means something.
DANGEROUS = ("python_object_apply.yaml", "python_object_new.yaml",
             "python_tag_directive.yaml", "python_tag_on_key.yaml")


def _write(name: str, content: str):
  def make(directory: Path) -> Path:
    (directory / name).write_text(content, encoding="utf-8")
    return directory / name
  return make


def _directory(directory: Path) -> Path:
  (directory / "config.yaml").mkdir()
  return directory / "config.yaml"


def _fifo(directory: Path) -> Path:
  os.mkfifo(directory / "fifo.yaml")  # reading it would block for ever
  return directory / "fifo.yaml"


def _wide_merge() -> str:
  base = ", ".join(f"k{i}: {i}" for i in range(200))
  return f"base: &b {{{base}}}\nwide: {{<<: [{', '.join(['*b'] * 100)}]}}\n"


# Name -> (makes the input in a directory and returns its path, substring of the error).
_DEEP = "{path}: invalid YAML (nested too deeply (more than 50 levels)"
GENERATED_CONFIGS = {
    "missing": (lambda d: d / "missing.yaml",
                "cannot read config {path}: No such file or directory"),
    "directory": (_directory, "cannot read config {path}: it is a directory"),
    "fifo": (_fifo, "cannot read config {path}: not a regular file"),
    "over_256_kib": (_write("big.yaml", "# padding\n" * 30_000 + "seed: 1\n"),
                     "cannot read config {path}: larger than 256 KiB"),
    # yaml.safe_load raises RecursionError on the next three, after seconds of scanning.
    "deep_flow_nesting": (_write("deep.yaml", "seed: " + "[" * 200_000 + "\n"), _DEEP),
    "deep_mapping_nesting": (_write("deep_map.yaml", "seed: " + "{a: " * 50_000), _DEEP),
    "deep_block_nesting": (_write("deep_block.yaml", "seed:\n" + "".join(
        " " * i + "a:\n" for i in range(1, 600))), _DEEP + ", line 50)"),
    "enormous_list": (_write("seeds.yaml", "evaluation:\n  seeds: [" + "0, " * 20_000
                             + "x]\n"), "evaluation.seeds: expected a list of int, got "
                                        "[0, 0, 0, 0, ...]"),
    "wide_merge": (_write("wide.yaml", _wide_merge()),
                   "{path}: invalid YAML (merge keys (<<) expand a mapping past 10000 keys"),
}


@pytest.fixture
def workdir(tmp_path, monkeypatch) -> Path:
  """An empty working directory where starting a run directory fails the test."""
  def refuse(*args, **kwargs):
    raise AssertionError(f"a run directory was created for bad input: {args}")

  monkeypatch.chdir(tmp_path)
  monkeypatch.setattr(runs, "new_run_dir", refuse)
  yield tmp_path
  assert not (tmp_path / SENTINEL).exists(), "a payload ran"
  assert not (tmp_path / "runs").exists()


def _one_error_line(capsys, argv: list[str]) -> str:
  """Runs the CLI in-process: exit code 2, nothing on stdout, one bounded stderr line."""
  code = main(argv)
  out, err = capsys.readouterr()
  assert (code, out) == (2, ""), (code, out, err)
  assert err.startswith("discover: error: ") and err.count("\n") == 1, err
  assert err.endswith("\n") and len(err) < 1000, err
  return err[len("discover: error: "):-1]


def _evolve_with_config(capsys, path: Path) -> str:
  return _one_error_line(capsys, ["evolve", "--config", str(path), "--no-progress"])


# --- The config corpus ---


def test_config_corpus_is_large_and_every_file_has_an_expectation():
  names = {p.name for p in CONFIG_CORPUS.iterdir()}
  assert len(names) >= 80
  assert names == set(CONFIGS), (sorted(names - set(CONFIGS)), sorted(set(CONFIGS) - names))


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_evolve_reports_a_malformed_config_in_one_line(name, workdir, capsys):
  path = CONFIG_CORPUS / name
  error = _evolve_with_config(capsys, path)
  expected = CONFIGS[name].replace("{path}", str(path))
  assert expected in error, (error, expected)


@pytest.mark.parametrize("name", sorted(GENERATED_CONFIGS))
def test_evolve_reports_a_generated_malformed_config_in_one_line(name, workdir, capsys):
  make, expected = GENERATED_CONFIGS[name]
  path = make(workdir)
  error = _evolve_with_config(capsys, path)
  assert expected.replace("{path}", str(path)) in error, (error, expected)


def test_corpus_inputs_are_what_their_names_say(tmp_path):
  raw = {name: (CONFIG_CORPUS / name).read_bytes() for name in CONFIGS}
  assert b"\x00" in raw["binary_garbage.yaml"] and b"\x00" in raw["utf16_text.yaml"]
  for name in ("invalid_utf8.yaml", "latin1_text.yaml"):
    assert b"\x00" not in raw[name]
    with pytest.raises(UnicodeDecodeError):
      raw[name].decode("utf-8")
  # The bombs are small files that expand by a factor of 10 per level for nine levels.
  bomb = yaml.safe_load(raw["billion_laughs.yaml"])["evaluation"]["tasks"][-1]
  depth = 0
  while isinstance(bomb, list):
    assert len(bomb) == 10
    bomb, depth = bomb[0], depth + 1
  assert depth == 9 and len(raw["billion_laughs.yaml"]) < 1000
  assert raw["merge_key_bomb.yaml"].count(b"<<") == 9
  # Plain YAML would take a key given twice silently: the last one would win.
  assert yaml.safe_load(raw["duplicate_key.yaml"]) == {"search": {"population": 60}}
  big = GENERATED_CONFIGS["over_256_kib"][0](tmp_path)
  assert big.stat().st_size > 256 << 10


@pytest.mark.parametrize("name", DANGEROUS)
def test_python_tag_payloads_are_real_and_never_run(name, workdir, capsys):
  """Each payload writes the sentinel under yaml.unsafe_load, and never through the CLI."""
  error = _evolve_with_config(capsys, CONFIG_CORPUS / name)
  assert "invalid YAML (could not determine a constructor" in error
  assert not (workdir / SENTINEL).exists()
  try:
    yaml.unsafe_load((CONFIG_CORPUS / name).read_text())
  except yaml.YAMLError:
    pass  # python_tag_on_key builds its key (running the payload), then cannot hash it
  assert (workdir / SENTINEL).exists()
  (workdir / SENTINEL).unlink()


# --- Overrides and options ---

_RESUME_ONLY_BUDGET = "--resume continues with the run's own config.yaml; only --budget"

# Name -> (extra evolve arguments, substring of the error).
OVERRIDES = {
    "no_equals": (["--set", "population"], "--set expects key=value, got 'population'"),
    "no_key": (["--set", "=5"], "--set expects key=value, got '=5'"),
    "unknown_key": (["--set", "search.nope=1"], "unknown key 'search.nope' (known: "),
    "empty_key_part": (["--set", "search..population=5"], "unknown key 'search.' (known: "),
    "newline_in_key": (["--set", "sea\nrch=1"], "unknown key ''sea\\nrch'' (known: "),
    "invalid_yaml": (["--set", "search.population=[5"],
                     "--set search.population: invalid YAML (while parsing a flow sequence"),
    "wrong_type": (["--set", "search.population=many"],
                   "search.population: expected an integer, got 'many'"),
    "value_for_section": (["--set", "search=5"], "search: expected a mapping, got 5"),
    "key_too_deep": (["--set", "search.population.size=5"],
                     "search.population: expected an integer, got {'size': 5}"),
    "multi_line_value": (["--set", "seed=1\n2"], "seed: expected an integer, got '1 2'"),
    "duplicate_key": (["--set", "search={population: 5, population: 6}"],
                      "--set search: invalid YAML (key 'population' given twice)"),
    "python_tag": (["--set", "seed=!!python/object/apply:os.system ['touch pwned']"],
                   "--set seed: " + _PYTHON_TAG + "object/apply:os.system')"),
    "negative_seed": (["--set", "seed=-1"], "seed: must be >= 0, got -1"),
    "infinite_weight": (["--set", "mutation.insert=.inf"],
                        "mutation.insert: expected a finite number, got inf"),
    "huge_integer": (["--set", "seed=" + "9" * 5000],
                     "--set seed: invalid YAML (a value cannot be built: Exceeds the limit"),
    "deep_value": (["--set", "seed=" + "[" * 100_000],
                   "--set seed: invalid YAML (nested too deeply (more than 50 levels))"),
    "second_override_conflicts": (["--set", "search.population=5",
                                   "--set", "search.tournament=6"],
                                  "search.tournament: cannot exceed search.population"),
    "budget_word": (["--budget", "forever"], _BUDGET + "'forever'"),
    "budget_negative": (["--budget", "-5"], _BUDGET + "-5"),
    "budget_huge": (["--budget", "1" + "0" * 400], "search.budget: too large, got 100000000"),
    "unknown_task": (["--set", "evaluation.tasks=[quadratc]"],
                     "evaluation.tasks: unknown task 'quadratc' (known: "),
    "tier_as_task": (["--set", "funnel.tasks=[funnel]"], "funnel.tasks: unknown task 'funnel'"),
    "two_tasks_in_one": (["--set", "meta_validation.tasks=['quadratic,logistic']"],
                         "meta_validation.tasks: unknown task 'quadratic,logistic'"),
    "missing_start": (["--set", "search.start=no/such/program.py"],
                      "'no/such/program.py' is neither a program file nor a baseline"),
    "start_name_too_long": (["--set", "search.start=" + "x" * 5000],
                            "x..." + "x" * 49 + "' is neither a program file nor a baseline"),
    "start_with_nul": (["--set", 'search.start="lion\\0"'],
                       "'lion\\x00' is neither a program file nor a baseline"),
    "resume_and_set": (["--resume", "somewhere", "--set", "seed=1"], _RESUME_ONLY_BUDGET),
    "resume_missing": (["--resume", "no/such/run"],
                       "no/such/run is not a run directory with a checkpoint"),
}


@pytest.mark.parametrize("name", sorted(OVERRIDES))
def test_evolve_reports_a_malformed_override_or_option_in_one_line(name, workdir, capsys):
  extra, expected = OVERRIDES[name]
  error = _one_error_line(capsys, ["evolve", "--no-progress", *extra])
  assert expected in error, (error, expected)


def test_run_root_that_is_a_file_is_one_line_and_creates_nothing(tmp_path, monkeypatch, capsys):
  monkeypatch.chdir(tmp_path)
  (tmp_path / "file").write_text("not a folder\n")
  small = ["evaluation.tasks=[quadratic]", "funnel.tasks=[]", "meta_validation.tasks=[]"]
  error = _one_error_line(capsys, ["evolve", "--no-progress", "--set", "run.root=file",
                                   *[a for o in small for a in ("--set", o)]])
  assert error.startswith("run.root: cannot create a run directory under 'file': "
                          "Not a directory"), error
  assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


# --- Programs, through every command that reads one ---


def _program_command(command: str, path: Path, directory: Path) -> list[str]:
  return {
      "show": ["show", str(path)],
      "export": ["export", str(path), "-o", str(directory / "exported.py")],
      "simplify": ["simplify", str(path), "--no-prune"],
      "evolve": ["evolve", "--no-progress", "--set", f"search.start={path}"],
  }[command]


def _assert_located(error: str, path: Path, line: int | None, message: str) -> None:
  where = f"{path}:{line}: " if line else f"{path}: "
  assert error.startswith(where) and message in error[len(where):], (error, where, message)


COMMANDS = ("show", "export", "simplify", "evolve")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_command_reports_a_malformed_program_in_one_line(command, path, workdir, capsys):
  error = _one_error_line(capsys, _program_command(command, path, workdir))
  _assert_located(error, path, *EXPECTED[path.name])
  assert not (workdir / "exported.py").exists()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_every_command_reports_a_generated_malformed_program(command, name, workdir, capsys):
  make, line, message = GENERATED[name]
  path = make(workdir)
  _assert_located(_one_error_line(capsys, _program_command(command, path, workdir)), path,
                  line, message)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_reports_unreadable_program_paths(command, workdir, capsys):
  os.mkfifo(workdir / "fifo.py")
  (workdir / "folder.json").mkdir()
  (workdir / "folder").mkdir()
  fifo = workdir / "fifo.py"
  expected = {fifo: f"{fifo}: cannot read {fifo}: not a regular file"}
  for folder in (workdir / "folder.json", workdir / "folder"):  # read as JSON, and as text
    expected[folder] = (f"{folder}: a run directory with no winner.py or best.py to simplify"
                        if command == "simplify" else f"{folder}: cannot read {folder}: "
                                                      "it is a directory")
  for path, message in expected.items():
    assert _one_error_line(capsys, _program_command(command, path, workdir)) == message
  for spec in (str(workdir / "nothing.py"), "adamx"):  # a missing file, an unknown baseline
    error = _one_error_line(capsys, _program_command(command, spec, workdir))
    assert error.startswith(f"'{spec}' is neither a program file nor a baseline (baselines: "
                            ), error
    assert "adamw" in error, error


def test_simplify_reports_a_run_directory_with_a_malformed_best_program(workdir, capsys):
  run_dir = workdir / "run"
  run_dir.mkdir()
  error = _one_error_line(capsys, ["simplify", str(run_dir), "--no-prune"])
  assert error == f"{run_dir}: a run directory with no winner.py or best.py to simplify"
  (run_dir / "best.py").write_text("def train(w, g, lr)\n  return g\n")
  error = _one_error_line(capsys, ["simplify", str(run_dir), "--no-prune"])
  assert error == f"{run_dir / 'best.py'}:1: syntax error: expected ':'", error


def test_show_prints_no_syntax_warning_as_a_second_line(workdir, capsys):
  # '0x1for' and '1else' make the tokenizer warn ("invalid hexadecimal literal") before it
  # fails; printed, the warning would be a second stderr line (see also the processes below).
  path = workdir / "warns.py"
  path.write_text("def train(w, g, lr):\n  update = g * 0x1for\n  return update if 1else g\n")
  with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    error = _one_error_line(capsys, ["show", str(path)])
  assert error == f"{path}:2: syntax error: invalid syntax", error
  assert caught == []


# --- Long input: valid programs as long as allowed, errors quoting huge input ---

_LONG = "x" * 100_000
_TRAIN = "def train(w, g, lr):\n"
# Program text -> the start of its error message (which quotes the long name).
_LONG_INPUTS = {
    "variable.py": (_TRAIN + f"  {_LONG} = g * lr\n  return {_LONG}\n",
                    "invalid variable name 'xxxxxxxx"),
    "argument.py": (_TRAIN + f"  update = g * {_LONG}\n  return update\n",
                    "undefined variable 'xxxxxxxx"),
    "function.py": (_TRAIN + f"  update = {_LONG}(g)\n  return update\n",
                    "unknown function 'xxxxxxxx"),
    "parameter.py": (f"def train(w, g, {_LONG}, {_LONG}, lr):\n  return g, {_LONG}\n",
                     "duplicate parameter 'xxxxxxxx"),
    "function_def.py": (_TRAIN + f"  return g\ndef {_LONG}():\n  return g\n",
                        "expected exactly one function, found another one, 'xxxxxxxx"),
    "slot.json": (json.dumps({"format": "discover.program/1", "slots": [_LONG],
                              "statements": [], "update": "g"}),
                  "signature: invalid variable name 'xxxxxxxx"),
}


def _bounded_error_line(capsys, argv: list[str]) -> str:
  error = _one_error_line(capsys, argv)
  assert len(error) <= MAX_ERROR_LENGTH, len(error)
  return error


@pytest.mark.parametrize("command", COMMANDS)
def test_errors_quoting_huge_input_are_one_bounded_line(command, workdir, capsys):
  for name, (text, message) in _LONG_INPUTS.items():
    path = workdir / name
    path.write_text(text)
    error = _bounded_error_line(capsys, _program_command(command, path, workdir))
    assert error.startswith(f"{path}:"), error
    assert message in error, error


@pytest.mark.parametrize("command", COMMANDS)
def test_an_error_naming_a_very_long_path_is_one_bounded_line(command, workdir, capsys):
  folder = workdir
  for i in range(15):  # a path of about 3000 characters, each name within NAME_MAX
    folder = folder / f"{i}{'d' * 200}"
  folder.mkdir(parents=True)
  path = folder / "bad.py"
  path.write_text(_TRAIN + "  update = nope(g)\n  return update\n")
  error = _bounded_error_line(capsys, _program_command(command, path, workdir))
  assert error.startswith(str(workdir)) and error.endswith(":2: unknown function 'nope'")


def test_one_line_keeps_short_text_and_cuts_long_text_in_the_middle():
  assert one_line("a short error") == "a short error"
  assert one_line("two\nlines\r\nand more") == "two lines and more"
  cut = one_line("start " + "x" * 10_000 + " end")
  assert len(cut) == MAX_ERROR_LENGTH and cut.startswith("start x") and cut.endswith("x end")
  assert " ... " in cut


_SMALL_SEARCH = ["evaluation.tasks=[quadratic]", "funnel.tasks=[]", "meta_validation.tasks=[]"]


def _chain(n: int) -> str:
  """``u{i+1} = interp(u{i}, g, 0.5)`` from g: each statement reads the one before."""
  lines = [_TRAIN.rstrip("\n"), "  u1 = interp(g, g, 0.5)"]
  lines += [f"  u{i + 1} = interp(u{i}, g, 0.5)" for i in range(1, n)]
  return "\n".join(lines + [f"  return u{n}"]) + "\n"


def test_show_reports_a_500_statement_chain(workdir, capsys):
  """A long dependency chain is valid (the cap is analysis.MAX_STATEMENTS): its dataflow
  hash once overflowed Python's stack."""
  path = workdir / "chain.py"
  path.write_text(_chain(500))
  assert main(["show", str(path)]) == 0
  out, err = capsys.readouterr()
  assert "live statements: 500 of 500" in out and "dataflow hash:" in out, out[-500:]
  assert "Traceback" not in err


def test_evolve_analyses_the_start_program_before_making_a_run_directory(workdir,
                                                                         monkeypatch):
  """A start program whose analysis fails (as the hash of a 500-statement chain did) fails
  before a run directory exists: the fixture fails the test if one is made."""
  def overflow(self, constants=True):
    raise RecursionError("maximum recursion depth exceeded")

  monkeypatch.setattr(analysis.Dataflow, "hash", overflow)
  path = workdir / "start.py"
  path.write_text(_chain(3))
  with pytest.raises(RecursionError):
    main(["evolve", "--no-progress", "--set", f"search.start={path}",
          *[a for o in _SMALL_SEARCH for a in ("--set", o)]])


# --- Nothing a program or config says is ever run ---

_EXPRESSIONS = [
    f"__import__('os').system('touch {SENTINEL}')",
    f"open('{SENTINEL}', 'w')",
    f"exec(\"open('{SENTINEL}', 'w')\")",
    f"eval(\"open('{SENTINEL}', 'w')\")",
    f"(lambda: open('{SENTINEL}', 'w'))()",
    f"getattr(__builtins__, 'open')('{SENTINEL}', 'w')",
    f"__import__('builtins').open('{SENTINEL}', 'w')",
    f"(f := open('{SENTINEL}', 'w'))",
    f"[open('{SENTINEL}', 'w') for _ in g]",
    f"vars(__import__('builtins'))['open']('{SENTINEL}', 'w')",
]


def _program_payloads(expression: str) -> list[str]:
  train = "def train(w, g, lr):\n"
  return [
      train + f"  x = {expression}\n  update = g * lr\n  return update\n",
      train + f"  update = clip(g, {expression})\n  return update\n",
      train + f"  update = g * lr\n  return update, {expression}\n",
      train + f"  {expression}\n  update = g * lr\n  return update\n",
      f"def train(w, g, lr={expression}):\n  update = g * lr\n  return update\n",
      f"@{expression}\n" + train + "  update = g * lr\n  return update\n",
      f"{expression}\n" + train + "  update = g * lr\n  return update\n",
      "import os\n" + train + f"  x = os.system('touch {SENTINEL}')\n  return g\n",
      train + f"  with open('{SENTINEL}', 'w'):\n    update = g * lr\n  return update\n",
      "class Train:\n  x = " + expression + "\n",
  ]


def test_the_payload_expressions_do_write_the_sentinel(tmp_path, monkeypatch):
  """So that the sentinel's absence in the tests below means something."""
  monkeypatch.chdir(tmp_path)
  for expression in _EXPRESSIONS:
    eval(expression, {"g": [0], "__builtins__": builtins})  # noqa: S307
    assert (tmp_path / SENTINEL).exists(), expression
    (tmp_path / SENTINEL).unlink()


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("expression", _EXPRESSIONS)
def test_program_payloads_are_rejected_and_never_run(command, expression, workdir, capsys):
  for i, text in enumerate(_program_payloads(expression)):
    path = workdir / f"payload{i}.py"
    path.write_text(text)
    error = _one_error_line(capsys, _program_command(command, path, workdir))
    assert error.startswith(f"{path}:"), error
    assert not (workdir / SENTINEL).exists(), text


def test_json_program_payloads_are_rejected_and_never_run(workdir, capsys):
  expression = _EXPRESSIONS[0]
  base = {"format": "discover.program/1", "slots": [], "uses_step": False,
          "statements": [{"target": "update", "op": "mul", "args": ["g", "lr"]}],
          "update": "update"}
  variants = {
      "op": {**base, "statements": [{"target": "update", "op": expression, "args": []}]},
      "arg": {**base, "statements": [{"target": "update", "op": "mul",
                                      "args": ["g", expression]}]},
      "target": {**base, "statements": [{"target": expression, "op": "mul",
                                         "args": ["g", "lr"]}]},
      "slot": {**base, "slots": [expression]},
      "update": {**base, "update": expression},
  }
  for name, form in variants.items():
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(form))
    for command in COMMANDS:
      error = _one_error_line(capsys, _program_command(command, path, workdir))
      assert error.startswith(f"{path}: "), error
  assert not (workdir / SENTINEL).exists()


@pytest.mark.parametrize("payload", [
    "seed: !!python/object/apply:subprocess.check_call [[touch, pwned]]\n",
    "seed: !!python/object/apply:builtins.open [pwned, w]\n",
    "seed: !!python/object/new:builtins.open [pwned, w]\n",
    "run:\n  root: !!python/object/apply:builtins.exec [\"open('pwned', 'w')\"]\n",
    "!!python/object/apply:os.system [touch pwned]\n",
    "search: {start: !!python/object/apply:os.system [touch pwned]}\n",
    "evaluation:\n  tasks: [!!python/object/apply:os.system [touch pwned]]\n",
])
def test_config_payloads_are_rejected_and_never_run(payload, workdir, capsys):
  path = workdir / "payload.yaml"
  path.write_text(payload)
  assert _PYTHON_TAG in _evolve_with_config(capsys, path)
  key, _, value = payload.partition(": ")
  if value and "\n" not in key:
    override = f"{key}={value.strip()}"
    assert _PYTHON_TAG in _one_error_line(capsys, ["evolve", "--set", override])
  assert not (workdir / SENTINEL).exists()
  yaml.unsafe_load(payload)  # the same text does write the sentinel when built as Python
  assert (workdir / SENTINEL).exists()
  (workdir / SENTINEL).unlink()


# --- Real processes ---

_WARNING_PROGRAM = "def train(w, g, lr):\n  update = g * 0x1for\n  return update\n"
_PAYLOAD_PROGRAM = f"def train(w, g, lr):\n  x = {_EXPRESSIONS[0]}\n  return g\n"

# Name -> (command line, files to write first, substring of the error).
_PROCESSES = {
    "python_tag_config": (["evolve", "--config", str(CONFIG_CORPUS / "python_object_apply.yaml")],
                          {}, "could not determine a constructor for the tag"),
    "merge_key_bomb": (["evolve", "--config", str(CONFIG_CORPUS / "merge_key_bomb.yaml")], {},
                       "merge keys (<<) expand a mapping past 10000 keys"),
    "syntax_warning": (["show", "warns.py"], {"warns.py": _WARNING_PROGRAM},
                       "warns.py:2: syntax error: invalid syntax"),
    "payload_start": (["evolve", "--set", "search.start=payload.py"],
                      {"payload.py": _PAYLOAD_PROGRAM}, "payload.py:2: "),
    "malformed_program": (["show", str(CORPUS / "syntax_error.py")], {},
                          f"syntax_error.py:1: {EXPECTED['syntax_error.py'][1]}"),
    "missing_program": (["show", "no/such/program.py"], {},
                        "'no/such/program.py' is neither a program file nor a baseline"),
    "unknown_baseline": (["show", "adamx"], {}, "'adamx' is neither a program file nor a baseline"),
}


@pytest.fixture(scope="module")
def processes(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
  """Runs each command line of ``_PROCESSES`` in its own directory, all at once."""
  env = dict(os.environ, JAX_PLATFORMS="cpu",
             PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
  started = {}
  for name, (argv, files, _) in _PROCESSES.items():
    cwd = tmp_path_factory.mktemp(name)
    for file, text in files.items():
      (cwd / file).write_text(text)
    started[name] = (cwd, subprocess.Popen(
        [sys.executable, "-m", "discover", *argv], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE))
  finished = {}
  for name, (cwd, process) in started.items():
    out, err = process.communicate(timeout=180)
    finished[name] = cwd, subprocess.CompletedProcess(process.args, process.returncode, out, err)
  return finished


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(_PROCESSES))
def test_process_reports_bad_input_in_one_line_and_leaves_nothing(processes, name):
  cwd, result = processes[name]
  assert result.returncode == 2, result
  assert result.stdout == "" and "Traceback" not in result.stderr, result
  assert result.stderr.startswith("discover: error: ") and result.stderr.count("\n") == 1, result
  assert _PROCESSES[name][2] in result.stderr, result.stderr
  assert sorted(p.name for p in cwd.iterdir()) == sorted(_PROCESSES[name][1])
