"""Proxies chosen by measurement (``bench proxies``): Spearman's rho with ties, the committed
program set, a tiny end-to-end run against its own log (scores, resume after an
interruption), and bad input."""

import json
import math

import numpy as np
import pytest

from discover.__main__ import main
from discover.bench import proxies
from discover.dsl import analysis
from discover.execute import reference
from discover.execute.evaluate import task_score
from proxy_tasks import get_task, task_names


# --- Spearman ---------------------------------------------------------------------------

def brute_ranks(x):
  """Rank i: how many values lie below x[i], plus the mean position among its ties."""
  x = np.asarray(x, np.float64)
  return np.array([np.sum(x < v) + (np.sum(x == v) + 1) / 2 for v in x])


@pytest.mark.parametrize("a, b, rho", [
    ([1, 2, 3, 4, 5], [10, 20, 30, 40, 50], 1.0),
    ([1, 2, 3, 4, 5], [5, 4, 3, 2, 1], -1.0),
    ([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], 0.8),  # 1 - 6 * 4 / (5 * 24), no ties
    ([1, 2, 2, 3], [1, 2, 3, 4], 3 / math.sqrt(10)),  # ranks 1, 2.5, 2.5, 4
    ([-math.inf, -math.inf, 0.5, 2.0], [0.0, 1.0, 2.0, 3.0], 3 / math.sqrt(10)),
    ([0.1, 5.0, 2.0], [1e-9, 1e9, 3.0], 1.0),  # ranks only: scale does not matter
])
def test_spearman_on_hand_computed_cases(a, b, rho):
  assert math.isclose(proxies.spearman(a, b), rho, abs_tol=1e-12)


def test_a_constant_side_has_no_rank_correlation():
  assert math.isnan(proxies.spearman([1, 1, 1], [1, 2, 3]))


def test_average_ranks_and_spearman_match_a_brute_force_count():
  rng = np.random.default_rng(0)
  for _ in range(50):
    n = int(rng.integers(3, 30))
    a, b = rng.integers(0, 6, n).astype(float), rng.integers(0, 6, n).astype(float)
    a[rng.random(n) < 0.2] = -math.inf
    assert np.array_equal(proxies.average_ranks(a), brute_ranks(a))
    ra, rb = brute_ranks(a), brute_ranks(b)
    expected = (math.nan if ra.std() == 0 or rb.std() == 0
                else float(np.corrcoef(ra, rb)[0, 1]))
    assert math.isclose(proxies.spearman(a, b), expected, abs_tol=1e-12) or (
        math.isnan(expected) and math.isnan(proxies.spearman(a, b)))


def test_the_bootstrap_interval_holds_rho_and_narrows_to_a_point_for_a_perfect_order():
  assert proxies.rho_interval(range(10), range(10)) == (1.0, 1.0)
  rng = np.random.default_rng(1)
  a = rng.normal(size=40)
  b = a + rng.normal(size=40)
  low, high = proxies.rho_interval(a, b)
  assert low < proxies.spearman(a, b) < high and high - low < 1


def test_normalised_ranks_put_the_best_at_one_and_ties_together():
  ranks = proxies.normalised_ranks([-math.inf, 3.0, 1.0, -math.inf])  # 1.5, 4, 3, 1.5 of 4
  assert ranks == pytest.approx([1 / 6, 1.0, 2 / 3, 1 / 6])


# --- the program set --------------------------------------------------------------------

def test_the_committed_set_is_diverse_and_parses():
  entries = proxies.read_programs(proxies.DEFAULT_PROGRAMS)
  origins = [e.origin for e in entries]
  assert len(entries) >= 40
  assert len({analysis.dataflow_hash(e.program) for e in entries}) == len(entries)
  assert origins.count("baseline") >= 20 and len(entries) - origins.count("baseline") >= 15
  assert len({o for o in origins if o != "baseline"}) >= 2  # mutants of several searches


def test_the_set_holds_baselines_at_several_learning_rates():
  names = {e.name for e in proxies.read_programs(proxies.DEFAULT_PROGRAMS)}
  assert {"adamw", "adamw_lr_x0.3", "adamw_lr_x3", "lion_b1_0.95_b2_0.98"} <= names


def test_the_default_proxies_are_each_proxy_task_the_config_proxy_and_the_tiny_pair():
  chosen = proxies.proxy_list(proxies.DEFAULT_PROXIES)
  singles = [p.name for p in chosen if len(p.tasks) == 1]
  assert singles == task_names("proxy")
  assert {"char_lm_tiny", "digits_vit_tiny"} <= set(singles)
  pair = next(p for p in chosen if p.name == "char_lm_tiny+digits_vit_tiny")
  assert pair.aggregate == "min"
  assert proxies.config_proxy() in chosen


# --- end to end -------------------------------------------------------------------------

PROXIES = "quadratic,quadratic+rosenbrock"  # the pair's rosenbrock job is the target's
ARGS = ["bench", "proxies", "--proxies", PROXIES, "--targets", "rosenbrock", "--seeds", "1",
        "--no-progress"]
PROGRAMS = {  # three programs apart in quality on every task
    "sgd": "def train(w, g, lr):\n  lr = lr * 0.001\n  update = g * lr\n  return update\n",
    "sign": ("def train(w, g, lr):\n  lr = lr * 0.01\n  update = sign(g)\n"
             "  update = update * lr\n  return update\n"),
    "momentum": ("def train(w, g, m, lr):\n  lr = lr * 0.01\n  decayed = m * 0.9\n"
                 "  m = g + decayed\n  update = m * lr\n  return update, m\n"),
}


def write_programs(path, programs=PROGRAMS, origin="baseline"):
  path.write_text("".join(json.dumps({"name": n, "origin": origin, "program": t}) + "\n"
                          for n, t in programs.items()))
  return path


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
  """A run interrupted after its first job, then finished by running it again; the tests that
  read it are slow."""
  root = tmp_path_factory.mktemp("proxies")
  args = [*ARGS, "--out", str(root / "out"), "--programs",
          str(write_programs(root / "programs.jsonl"))]
  real, calls = proxies.train_job, []

  def interrupted(*job):
    calls.append(job)
    if len(calls) == 2:
      raise KeyboardInterrupt
    return real(*job)

  with pytest.MonkeyPatch.context() as patch:
    patch.setattr(proxies, "train_job", interrupted)
    assert main(args) == 130
  logged = (root / "out" / "runs.jsonl").read_text().splitlines()
  assert main(args) == 0
  return root / "out", args, logged


def records(out):
  return [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]


@pytest.mark.slow
def test_an_interruption_loses_only_the_job_in_flight(finished):
  out, _, logged = finished
  assert len(logged) == 1
  assert len(records(out)) == len(PROGRAMS) * 2  # quadratic, rosenbrock
  assert records(out)[0] == json.loads(logged[0])


@pytest.mark.slow
def test_running_again_trains_nothing(finished, capsys):
  out, args, _ = finished
  before = (out / "runs.jsonl").read_text()
  assert main(args) == 0
  assert "(0 jobs trained" in capsys.readouterr().out
  assert (out / "runs.jsonl").read_text() == before


@pytest.mark.slow
def test_scores_and_correlations_follow_the_log(finished):
  out, _, _ = finished
  logged = {(r["program"], r["task"]): r for r in records(out)}
  results = json.loads((out / "proxies.json").read_text())
  names = [p["name"] for p in results["programs"]]
  assert names == list(PROGRAMS)

  def score(name, task, refs=None):
    r = logged[(name, task)]
    if r["metrics"] is None:
      return -math.inf
    return task_score(get_task(task), r["metrics"][0], refs[0] if refs else 1.0)

  target = proxies.normalised_ranks([score(n, "rosenbrock") for n in names])
  assert results["target_score"] == pytest.approx(target)
  refs = reference.load(["quadratic", "rosenbrock"], [0])
  expected = {
      "quadratic": [score(n, "quadratic") for n in names],
      "quadratic+rosenbrock": [min(score(n, "quadratic", refs["quadratic"]),
                                   score(n, "rosenbrock", refs["rosenbrock"])) for n in names]}
  rows = {r["proxy"]: r for r in results["proxies"]}
  assert set(rows) == set(expected)
  for name, scores in expected.items():
    got = [-math.inf if s is None else s for s in rows[name]["scores"]]
    assert got == pytest.approx(scores)
    rho = proxies.spearman(scores, target)
    assert rows[name]["rho"] is None if math.isnan(rho) else rows[name]["rho"] == (
        pytest.approx(rho))
    assert rows[name]["seconds"] > 0


@pytest.mark.slow
def test_the_report_has_a_row_per_proxy_sorted_by_rho(finished):
  out, _, _ = finished
  text = (out / "proxies.md").read_text()
  table = text.split("\n\n")[2].splitlines()
  assert table[0] == "| proxy | cost (s) | rho | 90% interval | rho rosenbrock | failed |"
  proxy_rows = table[2:]
  assert sorted(r.split(" | ")[0][2:] for r in proxy_rows) == sorted(PROXIES.split(","))
  rhos = [r.split(" | ")[2] for r in proxy_rows]
  finite = [float(r) for r in rhos if r != "n/a"]
  assert finite == sorted(finite, reverse=True)
  assert "failed on every task" in text
  assert json.loads((out / "manifest.json").read_text())["command"][:2] == ["bench",
                                                                            "proxies"]


# --- bad input --------------------------------------------------------------------------

BAD_PROGRAM = "def train(w, g, lr):\n  update = g * nope\n  return update\n"


@pytest.mark.parametrize("args, programs, message", [
    (["--proxies", "quadratic+nope"], None, "--proxies: unknown task nope"),
    (["--targets", "nope"], None, "--targets: unknown task nope"),
    (["--seeds", "0"], None, "--seeds must be at least 1"),
    (["--seeds", "x"], None, "--seeds expects an integer"),
    (["--proxies", "quadratic+logistic", "--seeds", "9"], None, "no run with seed 8"),
    ([], "missing", "cannot read the programs file"),
    ([], {**PROGRAMS, "bad": BAD_PROGRAM}, "line 4 (bad)"),
    ([], "not json\n", "line 1: not JSON"),
    ([], json.dumps({"name": "a", "origin": "x"}) + "\n", "line 1: expected an object"),
    ([], "".join(json.dumps({"name": "a", "origin": "x", "program": PROGRAMS["sgd"]}) + "\n"
                 for _ in range(3)), "line 2: a second program named 'a'"),
    ([], dict(list(PROGRAMS.items())[:2]), "a rank correlation needs at least 3"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, programs, message):
  path = tmp_path / "programs.jsonl"
  if isinstance(programs, dict):
    write_programs(path, programs)
  elif isinstance(programs, str) and programs != "missing":
    path.write_text(programs)
  elif programs is None:
    write_programs(path)
  code = main(["bench", "proxies", "--out", str(tmp_path / "o"), "--no-progress",
               "--programs", str(path), *args])
  err = capsys.readouterr().err
  assert code == 2 and message in err and len(err.strip().splitlines()) == 1
  assert not (tmp_path / "o" / "runs.jsonl").exists()

