"""Tests for the command line's good paths: what ``show`` prints, the step-size warnings,
every verb's help.

Bad input (the malformed corpus, missing files, unknown baselines, one stderr line and exit
code 2) is ``tests/test_bad_input.py``'s. A few runs of ``python -m discover`` in
subprocesses, started together because each pays for importing JAX, check what only a real
process shows: the exit code and the printed program.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from discover.dsl import analysis
from discover.__main__ import build_parser, main
from discover.dsl.baselines import baseline_program
from discover.commands import show
from discover.dsl.parse import from_json
from discover.dsl.program import to_text

ROOT = Path(__file__).resolve().parents[1]


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
