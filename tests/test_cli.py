"""Tests for the command line: every malformed input is one line on stderr and exit code 2.

The corpus and its expectations come from ``tests/test_parse.py``; they run in-process
(``discover.__main__.main``). A few runs of ``python -m discover`` in subprocesses, started
together because each pays for importing JAX, check what only a real process shows: no
traceback, the exit codes, and the printed program.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discover import analysis
from discover.__main__ import build_parser, main
from discover.baselines import baseline_program
from discover.commands import show
from discover.program import from_json, to_text
from test_parse import EXPECTED, GENERATED, corpus_files

ROOT = Path(__file__).resolve().parents[1]


def _one_error_line(capsys, argv: list[str]) -> str:
  """Runs the CLI in-process; asserts exit code 2, nothing on stdout and one stderr line."""
  code = main(argv)
  out, err = capsys.readouterr()
  assert code == 2
  assert out == ""
  assert err.endswith("\n") and err.count("\n") == 1, err
  assert err.startswith("discover: error: "), err
  return err.rstrip("\n")


def _assert_located(error: str, path: Path, line: int | None, message: str) -> None:
  where = f"discover: error: {path}:{line}: " if line else f"discover: error: {path}: "
  assert error.startswith(where), (error, where)
  assert message in error[len(where):], (error, message)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_show_reports_a_malformed_corpus_file_in_one_line(path, capsys):
  assert path.name in EXPECTED, f"tests/malformed/{path.name} has no expectation"
  _assert_located(_one_error_line(capsys, ["show", str(path)]), path, *EXPECTED[path.name])


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_show_reports_a_generated_malformed_file_in_one_line(name, tmp_path, capsys):
  make, line, message = GENERATED[name]
  path = make(tmp_path)
  _assert_located(_one_error_line(capsys, ["show", str(path)]), path, line, message)


def test_show_reports_missing_files_unknown_baselines_and_directories(tmp_path, capsys):
  for spec in (str(tmp_path / "missing.py"), "adamx"):
    error = _one_error_line(capsys, ["show", spec])
    assert error.startswith(f"discover: error: '{spec}' is neither a program file nor a "
                            "baseline (baselines: "), error
    assert "adamw" in error
  error = _one_error_line(capsys, ["show", str(tmp_path)])
  assert error.startswith(f"discover: error: {tmp_path}: cannot read {tmp_path}: "), error


def test_show_in_process_prints_a_program_file(tmp_path, capsys):
  path = tmp_path / "lion.py"
  path.write_text(to_text(baseline_program("lion")))
  assert main(["show", str(path)]) == 0
  out, err = capsys.readouterr()
  assert err == "" and out == show(str(path)) + "\n"
  assert out.startswith(to_text(baseline_program("lion")))
  assert main(["show", str(path), "--json"]) == 0
  assert from_json(capsys.readouterr().out) == baseline_program("lion")


# Evolution may overwrite lr: this rule reads the name lr, but never the lr input.
LR_DEAD = ("def train(w, g, m, lr):\n  m = interp(g, m, 0.9)\n  lr = m * 0.03\n"
           "  update = sign(m)\n  update = update * lr\n  return update, m\n")


def _step_size_commands(program: Path, tmp_path: Path) -> list[list[str]]:
  return [["show", str(program)], ["show", str(program), "--json"],
          ["export", str(program), "-o", str(tmp_path / "exported.py")],
          ["simplify", str(program), "--no-prune"]]


def test_show_export_and_simplify_warn_about_a_rule_that_never_reads_lr(tmp_path, capsys):
  path = tmp_path / "lr_dead.py"
  path.write_text(LR_DEAD)
  for argv in _step_size_commands(path, tmp_path):
    assert main(argv) == 0, argv
    out, err = capsys.readouterr()
    assert err == (f"discover: warning: {path} never reads lr: export multiplies its "
                   "update by learning_rate (1.0 is the step size the search found)\n"
                   ), argv
    if argv[1:] == [str(path)]:
      assert out == show(str(path)) + "\n"
      capsys.readouterr()  # show's own warning
      assert ("step size:       none: the program never reads lr (export multiplies the "
              "update by learning_rate)") in out.splitlines()
  assert "This rule never reads lr" in (tmp_path / "exported.py").read_text()


def test_show_warns_about_a_rule_that_reads_lr_nonlinearly(tmp_path, capsys):
  path = tmp_path / "decay_only.py"  # lr scales the weight decay alone, not the step
  path.write_text("def train(w, g, lr):\n  d = w * lr\n  update = g * 0.01\n"
                  "  update = update + d\n  return update\n")
  assert main(["show", str(path)]) == 0
  out, err = capsys.readouterr()
  assert err.startswith(f"discover: warning: {path} reads lr nonlinearly") and (
      err.count("\n") == 1)
  assert ("step size:       from lr, not in proportion (doubling lr does not double the "
          "update)") in out.splitlines()


@pytest.mark.parametrize("baseline", ["sgd", "adamw_paper"])
def test_rules_that_read_lr_draw_no_step_size_warning(baseline, tmp_path, capsys):
  path = tmp_path / f"{baseline}_file.py"
  path.write_text(to_text(baseline_program(baseline)))
  for argv in _step_size_commands(path, tmp_path) + [["show", baseline]]:
    assert main(argv) == 0, argv
    out, err = capsys.readouterr()
    assert err == "", argv
    if argv[0] == "show" and "--json" not in argv:
      assert ("step size:       from lr (learning_rate scales the update)"
              in out.splitlines())


def _verbs() -> dict[str, argparse.ArgumentParser]:
  """Every verb of the CLI, read from the parser itself."""
  [commands] = [a for a in build_parser()._actions
                if isinstance(a, argparse._SubParsersAction)]
  return dict(commands.choices)


@pytest.mark.parametrize("verb", sorted(_verbs()))
def test_every_verb_has_help_with_a_description_and_its_defaults(verb):
  parser = _verbs()[verb]
  text = " ".join(parser.format_help().split())  # unwrapped
  assert parser.description and " ".join(parser.description.split()) in text
  for action in parser._actions:
    if action.default is argparse.SUPPRESS:  # --help
      continue
    assert action.help, f"{verb}: {action.dest} has no help"
    shown = not (action.default is None or action.default is False or action.default == [])
    if action.option_strings and shown:
      assert f"(default: {action.default})" in text, (verb, action.dest)


# --- Real processes ---

_RUNS = {
    "malformed": ["show", str(ROOT / "tests" / "malformed" / "syntax_error.py")],
    "missing_file": ["show", "no/such/program.py"],
    "unknown_baseline": ["show", "adamx"],
    "help": ["--help"],
    "show_adamw": ["show", "adamw"],
    "show_lion_json": ["show", "lion", "--json"],
}


@pytest.fixture(scope="module")
def runs() -> dict[str, subprocess.CompletedProcess]:
  """Runs every command line in ``_RUNS`` in its own process, all at once."""
  env = dict(os.environ, JAX_PLATFORMS="cpu",
             PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
  started = {
      name: (argv, subprocess.Popen([sys.executable, "-m", "discover", *argv], cwd=ROOT,
                                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    text=True))
      for name, argv in _RUNS.items()}
  finished = {}
  for name, (argv, process) in started.items():
    out, err = process.communicate(timeout=120)
    finished[name] = subprocess.CompletedProcess(argv, process.returncode, out, err)
  return finished


@pytest.mark.parametrize("name", ["malformed", "missing_file", "unknown_baseline"])
def test_process_reports_bad_input_in_one_line_without_traceback(runs, name):
  result = runs[name]
  assert result.returncode == 2, result
  assert result.stdout == ""
  assert "Traceback" not in result.stderr
  assert result.stderr.count("\n") == 1 and result.stderr.startswith("discover: error: ")
  expected = {
      "malformed": f"syntax_error.py:1: {EXPECTED['syntax_error.py'][1]}",
      "missing_file": "'no/such/program.py' is neither a program file nor a baseline",
      "unknown_baseline": "'adamx' is neither a program file nor a baseline",
  }[name]
  assert expected in result.stderr


def test_process_help(runs):
  result = runs["help"]
  assert result.returncode == 0, result
  assert result.stdout.startswith("usage: discover") and "show" in result.stdout
  assert result.stderr == ""


def test_process_show_adamw_prints_program_slots_liveness_and_hash(runs):
  result = runs["show_adamw"]
  assert result.returncode == 0, result
  assert result.stderr == ""
  program = baseline_program("adamw")
  n = len(program.statements)
  assert result.stdout.startswith(to_text(program) + "\n")
  lines = result.stdout.splitlines()
  assert "state slots:     m, v" in lines
  assert "step counter:    yes" in lines
  assert f"live statements: {n} of {n}" in lines
  assert f"dataflow hash:   {analysis.dataflow_hash(program)}" in lines
  assert result.stdout == show("adamw") + "\n"


def test_process_show_json_reads_back(runs):
  result = runs["show_lion_json"]
  assert result.returncode == 0, result
  assert result.stderr == ""
  assert from_json(result.stdout) == baseline_program("lion")
