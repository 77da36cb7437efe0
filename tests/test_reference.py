"""Reference scores: tuning picks the best trial; a task's identity holds on any machine;
a missing or stale reference is an error for ``load`` and tuned on the spot for a search."""

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from discover.execute import reference
from discover.commands import evolve, reference as reference_command
from proxy_tasks import get_task, text
from proxy_tasks.identity import _installed_source, identity, normalised_source


def test_tuning_picks_the_best_finished_trial_and_pairs_it_with_each_seed():
  task = get_task("logistic")
  record = reference.tune(task, seeds=(0, 1), learning_rates=(1e-4, 1e-2, 10.0),
                          weight_decays=(0.0,), paired_seeds=(0, 1, 2))
  finished = [np.mean(t["values"]) for t in record["trials"] if None not in t["values"]]
  assert record["value"] == pytest.approx(min(finished))
  assert len(record["trials"]) == 3 and record["learning_rate"] != 1e-4
  best = next(t for t in record["trials"] if t["learning_rate"] == record["learning_rate"])
  # The paired runs repeat the chosen trial exactly on the tuning seeds, and go on past them.
  assert [record["per_seed"][s] for s in ("0", "1")] == best["values"]
  assert set(record["per_seed"]) == {"0", "1", "2"}
  assert record["per_seed"]["2"] not in best["values"]


def test_fingerprint_tracks_the_task_configuration():
  task = get_task("quadratic")
  assert reference.fingerprint(task) == reference.fingerprint(task) == identity(task)
  for change in ({"steps": task.steps + 1}, {"diverged_above": 1e9}, {"metric": "accuracy"},
                 {"description": task.description + "!"}, {"data_digest": "0" * 64}):
    assert reference.fingerprint(dataclasses.replace(task, **change)) != \
        reference.fingerprint(task), change
  assert reference.fingerprint(get_task("noisy_quadratic")) != reference.fingerprint(task)


SAMPLE = '''"""A module docstring."""
import math  # a comment


class Model:
  """A class docstring."""

  def f(self, x, name):  # a comment after code
    """A docstring
    over lines."""
    y = f"{name!r}: {x:{8}.3f} {'#' * 2}"  # f-strings differ as tokens in 3.12
    for i in range(3):
      x = x * 2
      x = x + i
    return x, y, "# not a comment"
'''


def test_normalised_source_drops_comments_docstrings_and_blank_lines_alone():
  expected = "\n".join([
      "import math", "class Model:", "  def f(self, x, name):",
      "    y = f\"{name!r}: {x:{8}.3f} {'#' * 2}\"", "    for i in range(3):",
      "      x = x * 2", "      x = x + i", "    return x, y, \"# not a comment\""])
  # Pinned: a Python version that tokenized or parsed otherwise would fail here.
  assert normalised_source(SAMPLE) == expected
  reworded = (SAMPLE.replace("A docstring", "Another docstring").replace("# a comment", "#")
              .replace("import math", "\n\nimport math   \r\n# new\n"))
  assert normalised_source(reworded) == expected
  for changed in (SAMPLE.replace("x * 2", "x * 3"),
                  SAMPLE.replace("      x = x + i", "    x = x + i"),  # out of the loop
                  SAMPLE.replace("# not a comment", "#")):
    assert normalised_source(changed) != expected


def test_identity_ignores_comments_but_not_code():
  task = get_task("logistic")
  def edited(module, old, new):
    def source(name):
      text = _installed_source(name)
      if name != module:
        return text
      assert text.count(old) == 1, old
      return text.replace(old, new)
    return source
  assert identity(task, edited("proxy_tasks.synthetic", "DIM = 64", "DIM = 64  # note\n\n")) \
      == identity(task)
  for module, old, new in [
      ("proxy_tasks.synthetic", "default_rng(2)", "default_rng(3)"),  # the test split
      ("proxy_tasks.synthetic", "(300, 64)", "(300, 32)"),
      ("proxy_tasks.train", "(step < steps)", "(step <= steps)"),
      ("proxy_tasks.base", 'TIERS = ("proxy", "funnel", "target")',
       'TIERS = ("proxy", "target", "funnel")')]:
    assert identity(task, edited(module, old, new)) != identity(task), (module, old)
  # Another task module's code does not count.
  assert identity(task, edited("proxy_tasks.digits", "N_VALIDATION = 360",
                               "N_VALIDATION = 300")) == identity(task)
  char_lm = get_task("char_lm_small")  # built on digits.cross_entropy
  assert identity(char_lm, edited("proxy_tasks.digits", "N_VALIDATION = 360",
                                  "N_VALIDATION = 300")) != identity(char_lm)


def test_identity_tracks_the_corpus_bytes(tmp_path):
  def build(path):
    return text.char_lm_task("char_lm_small", "funnel", text.CharTransformer(dim=32, context=32),
                             400, 32, path=path)
  same, edited = tmp_path / "same.txt", tmp_path / "edited.txt"
  raw = text.CORPUS.read_bytes()
  same.write_bytes(raw)
  edited.write_bytes(raw[:-2] + b"!" + raw[-1:])
  assert identity(build(same)) == identity(get_task("char_lm_small"))
  assert identity(build(edited)) != identity(get_task("char_lm_small"))


def test_the_shipped_corpus_is_the_one_the_references_were_tuned_on():
  data, digest = text.corpus()
  assert len(data) == 294424 and digest.startswith("c25e517d70a9")
  assert "c25e517d70a9" in get_task("char_lm_small").description


_PRINTS = """
import json
from discover.execute import reference
from discover import config
from proxy_tasks import get_task, task_names
prints = {n: reference.fingerprint(get_task(n)) for n in task_names()}
try:
  for section in config.load().task_sections().values():
    reference.load(section.tasks, section.seeds)
  reference.load(task_names("proxy"), reference.PAIRED_SEEDS)
  current = "yes"
except reference.ReferenceError as e:
  current = str(e)
print(json.dumps({"prints": prints, "current": current}))
"""


@pytest.fixture(scope="module")
def prints_by_isa():
  """Every task's fingerprint, and whether the committed references are current, computed
  in a process with XLA's default instruction set and in one held to AVX2."""
  found = {}
  for isa, flags in (("default", None), ("avx2", "--xla_cpu_max_isa=AVX2")):
    env = {k: v for k, v in os.environ.items() if k != "XLA_FLAGS"}
    env.update({"JAX_PLATFORMS": "cpu"}, **({"XLA_FLAGS": flags} if flags else {}))
    out = subprocess.run([sys.executable, "-c", _PRINTS], env=env, capture_output=True,
                         text=True, check=True, cwd=Path(__file__).resolve().parents[1])
    found[isa] = json.loads(out.stdout.strip().splitlines()[-1])
  return found


@pytest.mark.slow
def test_fingerprints_do_not_depend_on_the_instruction_set(prints_by_isa):
  # XLA:CPU computes floats differently with AVX-512 than with AVX2; identities never do.
  default, avx2 = prints_by_isa["default"]["prints"], prints_by_isa["avx2"]["prints"]
  assert default == avx2 and len(set(default.values())) == len(default)


@pytest.mark.slow
def test_committed_references_are_current_with_avx2_too(prints_by_isa):
  assert prints_by_isa["avx2"]["current"] == "yes"
  assert prints_by_isa["default"]["current"] == "yes"


def test_load_rejects_missing_and_stale_references(tmp_path):
  path = tmp_path / "adamw.json"
  with pytest.raises(reference.ReferenceError, match="no AdamW reference"):
    reference.load(["quadratic"], path=path)
  reference.compute(["quadratic"], path, seeds=(0,), log=lambda _: None)
  paired = reference.load(["quadratic"], seeds=[3, 1], path=path)["quadratic"]
  stored = json.loads(path.read_text())
  assert paired == {1: stored["quadratic"]["per_seed"]["1"], 3: stored["quadratic"]["per_seed"]["3"]}
  with pytest.raises(reference.ReferenceError, match="no run with seed 99"):
    reference.load(["quadratic"], seeds=[0, 99], path=path)
  stored["quadratic"]["fingerprint"] = "0" * 16
  path.write_text(json.dumps(stored))
  with pytest.raises(reference.ReferenceError, match="stale"):
    reference.load(["quadratic"], path=path)


@pytest.fixture
def small_grid(monkeypatch):
  """A two-point grid and two paired seeds: tuning quadratic takes a second."""
  monkeypatch.setattr(reference, "LEARNING_RATES", (0.1, 1.0))
  monkeypatch.setattr(reference, "WEIGHT_DECAYS", (0.0,))
  monkeypatch.setattr(reference, "PAIRED_SEEDS", (0, 1))


@pytest.fixture
def committed(tmp_path, monkeypatch):
  """A copy of the committed references standing in for them."""
  path = tmp_path / "committed" / "adamw.json"
  path.parent.mkdir()
  path.write_bytes(reference.DEFAULT_PATH.read_bytes())
  monkeypatch.setattr(reference, "DEFAULT_PATH", path)
  return path


@pytest.mark.slow
@pytest.mark.parametrize("case", ["missing", "stale"])
def test_a_search_tunes_a_missing_or_stale_reference_and_goes_on(
    case, tmp_path, committed, small_grid, capsys):
  stored = json.loads(committed.read_text())
  if case == "missing":
    del stored["quadratic"]
  else:
    stored["quadratic"]["fingerprint"] = "0" * 20
  committed.write_text(json.dumps(stored))
  before, real = committed.read_bytes(), reference.DEFAULT_PATH
  overrides = ["evaluation.tasks=[quadratic]", "evaluation.seeds=[0, 1]",
               "evaluation.workers=1", "search.population=4", "search.tournament=2",
               "funnel.tasks=[]", "meta_validation.tasks=[]", f"run.root={tmp_path / 'runs'}"]
  summary = evolve(None, overrides, "3", None, progress=False)
  assert "best fitness" in summary
  err = capsys.readouterr().err
  assert ("discover: tuning AdamW on quadratic: no current reference (2 trials x 2 seeds)"
          in err.splitlines())
  local = json.loads(reference.local_path().read_text())
  assert local["quadratic"]["fingerprint"] == reference.fingerprint(get_task("quadratic"))
  assert committed.read_bytes() == before and real == reference.DEFAULT_PATH
  run_dir = Path(summary.split("run directory: ")[1].split(" (")[0])
  manifest = json.loads((run_dir / "manifest.json").read_text())
  assert manifest["references"]["quadratic"] == {
      s: local["quadratic"]["per_seed"][s] for s in ("0", "1")}
  # The next search finds it there and tunes nothing.
  evolve(None, overrides, "2", None, progress=False)
  assert "tuning" not in capsys.readouterr().err


@pytest.mark.slow
def test_the_committed_reference_comes_first_then_the_local_store(committed, small_grid,
                                                                  capsys):
  committed_value = json.loads(committed.read_text())["quadratic"]["per_seed"]["0"]
  local = {"quadratic": dict(json.loads(committed.read_text())["quadratic"],
                             per_seed={"0": 123.0})}
  reference.local_path().parent.mkdir(parents=True, exist_ok=True)
  reference.local_path().write_text(json.dumps(local))
  assert reference.find_or_tune({"quadratic": [0]}) == {"quadratic": {0: committed_value}}
  stored = json.loads(committed.read_text())
  stored["quadratic"]["fingerprint"] = "stale"
  committed.write_text(json.dumps(stored))
  assert reference.find_or_tune({"quadratic": [0]}) == {"quadratic": {0: 123.0}}
  # A seed the local reference lacks: tuned again, with that seed paired too.
  values = reference.find_or_tune({"quadratic": [0, 5]}, progress=False)
  assert set(values["quadratic"]) == {0, 5} and values["quadratic"][0] != 123.0
  assert "no current reference" in capsys.readouterr().err


def test_a_checksum_off_beyond_rounding_gives_one_note(committed, capsys):
  stored = json.loads(committed.read_text())
  checksum = stored["quadratic"]["checksum"]
  for scale, notes in ((1 + 1e-7, 0), (1 + 1e-2, 1)):
    stored["quadratic"]["checksum"] = [[s * scale, a * scale] for s, a in checksum]
    committed.write_text(json.dumps(stored))
    reference.find_or_tune({"quadratic": [0]})
    err = capsys.readouterr().err.splitlines()
    assert len([line for line in err if "note: quadratic computes differently" in line]) \
        == notes, err
    assert len(err) == notes


def test_the_reference_command_writes_the_local_store_unless_told_to_commit(
    committed, small_grid, capsys):
  stored = json.loads(committed.read_text())
  del stored["quadratic"]
  committed.write_text(json.dumps(stored))
  reference_command("quadratic", 1, force=False, progress=False)
  assert "quadratic" in json.loads(reference.local_path().read_text())
  assert "quadratic" not in json.loads(committed.read_text())
  reference_command("quadratic", 1, force=False, commit=True, progress=False)
  assert json.loads(committed.read_text())["quadratic"]["fingerprint"] == \
      reference.fingerprint(get_task("quadratic"))
  reference_command("quadratic", 1, force=False, progress=False)
  assert "up to date in " + str(committed) in capsys.readouterr().out


def test_committed_references_are_current_for_the_default_search():
  # The committed file must be regenerated whenever a task the default config uses changes.
  from discover import config
  from proxy_tasks import task_names
  for section in config.load().task_sections().values():
    values = reference.load(section.tasks, section.seeds)
    assert all(np.isfinite(v) for paired in values.values() for v in paired.values())
  assert reference.load(task_names("proxy"), reference.PAIRED_SEEDS)


@pytest.mark.slow
def test_a_resumed_run_scores_against_the_references_it_started_with(tmp_path, monkeypatch):
  from discover import config
  from discover.search import run as run_lib
  from support import evolve_small

  _, run_dir = evolve_small(tmp_path, "3")
  recorded = json.loads((Path(run_dir) / "manifest.json").read_text())["references"]
  wanted = run_lib._wanted(config.load(Path(run_dir) / "config.yaml"))
  assert run_lib.recorded_references(Path(run_dir), wanted) == {
      t: {int(s): v for s, v in recorded[t].items()} for t in wanted}
  assert run_lib.recorded_references(Path(run_dir), {"logistic": {99}}) is None

  def no_lookup(*_):
    raise AssertionError("a resumed run looked its references up again")

  monkeypatch.setattr(run_lib, "find_references", no_lookup)
  summary, _ = evolve_small(tmp_path, "6", resume=run_dir)
  assert "winner" in summary
