"""The search end to end on a shrunken config: files, determinism, resumption, bad input."""

import json
import shutil
import subprocess
import types
from pathlib import Path

import pytest

from discover.dsl.parse import parse
from discover.__main__ import main
from discover.commands import evolve
from discover.errors import UserError
from discover.search.rundir import read_events
from discover.search.loop import FUNNEL_MARGIN
from support import PAPER_MUTATIONS, SMALL, STAGED
from support import evolve_small as _evolve, interrupt_after as _interrupt_after
from support import stable as _stable

OLD_RUN = Path(__file__).parent / "data/run_20261205"  # recorded 2026-12-05 (tests/data/README.md)


def test_a_shrunken_search_writes_a_complete_run(tmp_path):
  summary, run_dir = _evolve(tmp_path, "25")
  run_dir = Path(run_dir)
  events, truncated = read_events(run_dir / "events.jsonl")
  assert not truncated and events[0]["mutation"] == "start"
  evaluated = [e for e in events if not e["cached"]]
  assert len(evaluated) == 25  # the start program counts against the budget
  assert all("failure" in e for e in evaluated)
  best_text = (run_dir / "best.py").read_text()
  best = parse(best_text)
  best_fitness = max(e["fitness"] for e in events if e["fitness"] is not None)
  assert f"fitness {best_fitness:.6g}" in best_text and str(best) in best_text
  manifest = json.loads((run_dir / "manifest.json").read_text())
  assert manifest["seed"] == 0 and "logistic" in manifest["references"]
  head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                        cwd=Path(__file__).parent).stdout.strip()
  assert manifest["source"].removesuffix("-dirty") == head  # the code that ran
  assert "cache hits" in summary and "best fitness" in summary


@pytest.mark.slow
def test_same_config_and_seed_give_the_same_events(tmp_path):
  _, a = _evolve(tmp_path / "a", "20")
  _, b = _evolve(tmp_path / "b", "20")
  ea, eb = (read_events(Path(d) / "events.jsonl")[0] for d in (a, b))
  assert _stable(ea) == _stable(eb) and len(ea) > 20
  _, c = _evolve(tmp_path / "c", "20", ["seed=1"])
  ec = read_events(Path(c) / "events.jsonl")[0]
  assert _stable(ec) != _stable(ea)


@pytest.mark.slow
def test_resume_continues_the_same_run(tmp_path):
  _, straight = _evolve(tmp_path / "straight", "30")
  _, first = _evolve(tmp_path / "resumed", "15")
  _evolve(tmp_path / "resumed", "30", resume=first)
  a = read_events(Path(straight) / "events.jsonl")[0]
  b = read_events(Path(first) / "events.jsonl")[0]
  assert _stable(a) == _stable(b)


def test_bad_config_and_resume_are_one_line_errors(tmp_path, capsys):
  with pytest.raises(UserError, match="search.population: must be positive"):
    evolve(None, ["search.population=0"], None, None, progress=False)
  with pytest.raises(UserError, match="only --budget"):
    evolve(None, ["seed=2"], None, str(tmp_path), progress=False)
  with pytest.raises(UserError, match="not a run directory"):
    evolve(None, [], None, str(tmp_path), progress=False)
  assert main(["evolve", "--set", "search.nope=1"]) == 2
  err = capsys.readouterr().err.strip().splitlines()
  assert len(err) == 1 and err[0].startswith("discover: error: unknown key 'search.nope'")
  assert main(["evolve", "--set", "evaluation.tasks=[no_task]"]) == 2


@pytest.mark.slow
def test_new_proxy_bests_above_the_threshold_enter_the_funnel(tmp_path):
  summary, run_dir = _evolve(tmp_path, "30", ["funnel.tasks=[quadratic]", "funnel.seeds=[1]",
                                              "funnel.threshold=-100.0", "funnel.feedback=false"])
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  funneled = [e for e in events if e["event"] == "funnel"]
  candidates = [e for e in events if e["event"] == "candidate" and not e["cached"]]
  assert funneled[0]["id"] is None  # the start program is the funnel's yardstick
  # Exactly the evaluated candidates that raised the best proxy fitness past the threshold.
  assert [e["id"] for e in funneled[1:]] == [e["id"] for e in _running_bests(candidates, -100.0)]
  assert len(funneled) > 2
  assert all("quadratic" in e["metrics"] for e in funneled)
  assert "funnel" in summary


@pytest.mark.slow
def test_a_candidate_that_scores_lower_on_the_funnel_takes_that_fitness(tmp_path):
  _, run_dir = _evolve(tmp_path, "30", ["funnel.tasks=[quadratic]", "funnel.seeds=[1]",
                                        "funnel.threshold=-100.0", "run.checkpoint_every=1"])
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  funneled = [e for e in events if e["event"] == "funnel" and e["id"] is not None]
  for e in funneled:
    lower = e["fitness"] is None or e["fitness"] < e["proxy_fitness"]
    assert ("revised" in e) == lower and e.get("revised") == (e["fitness"] if lower else None)
  revised = {e["id"]: e["revised"] for e in funneled if "revised" in e}
  assert revised, "no candidate scored lower on the funnel: the path did not run"
  # Members still in the population carry the funnel's fitness, not the proxy's.
  checkpoint = json.loads((Path(run_dir) / "checkpoint.json").read_text())
  members = {m["id"]: m["fitness"] for m in checkpoint["evolution"]["population"]}
  assert all(members[i] == f for i, f in revised.items() if i in members)
  # More candidates are funneled than the running proxy bests: the bar drops after each.
  candidates = [e for e in events if e["event"] == "candidate" and not e["cached"]]
  assert len(funneled) > len(_running_bests(candidates, -100.0))


def _running_bests(candidates, bar):
  out = []
  for e in candidates:
    if e["fitness"] is not None and e["fitness"] > bar + FUNNEL_MARGIN:
      bar = e["fitness"]
      out.append(e)
  return out


def test_a_failing_start_program_is_a_one_line_error(tmp_path):
  start = tmp_path / "ascent.py"
  start.write_text("def train(w, g, lr):\n  u = g * -50.0\n  update = u * lr\n  return update\n")
  with pytest.raises(UserError, match="the start program fails on the proxy tasks: diverged"):
    _evolve(tmp_path, "10", [f"search.start={start}", "evaluation.tasks=[quadratic]"])


def test_an_interrupted_search_keeps_its_finished_work(tmp_path, monkeypatch):
  _interrupt_after(monkeypatch, 7)
  with pytest.raises(KeyboardInterrupt):
    _evolve(tmp_path, "30")
  run_dir = next(p for p in tmp_path.iterdir() if p.is_dir())
  checkpoint = json.loads((run_dir / "checkpoint.json").read_text())
  assert checkpoint["counters"]["evaluated"] == 8  # the start program and 7 children
  assert checkpoint["events"] == len(read_events(run_dir / "events.jsonl")[0])


@pytest.mark.slow
def test_meta_validation_scores_the_best_so_far_at_intervals(tmp_path):
  summary, run_dir = _evolve(tmp_path, "30", STAGED)
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  metas = [e for e in events if e["event"] == "meta"]
  assert metas[0]["id"] is None and metas[0]["evaluated"] == 1  # the start program
  # The final best was validated at 30 already, on the interval: it is not logged twice.
  assert [m["evaluated"] for m in metas[1:]] == [10, 20, 30]
  for meta in metas[1:]:
    told = [e for e in events[:events.index(meta)] if e["event"] in ("start", "candidate")]
    best = max((e for e in told if e["fitness"] is not None), key=lambda e: e["fitness"])
    assert meta["program"] == best["program"]
    assert "noisy_quadratic" in (meta.get("metrics") or {"noisy_quadratic": 0})
  # A program validated before is logged from the cache, not retrained.
  for i, meta in enumerate(metas):
    assert (meta["cached"] == "dataflow") == any(m["hash"] == meta["hash"] for m in metas[:i])
  line = next(x for x in summary.splitlines() if x.startswith("meta-validation on"))
  points = line.split(") ")[1].split(", ")
  assert [p.split(":")[0] for p in points] == ["start", "10", "20", "30"]


@pytest.mark.slow
def test_staged_search_is_deterministic_and_resumes_exactly(tmp_path, monkeypatch):
  _, straight = _evolve(tmp_path / "straight", "30", STAGED)
  _, again = _evolve(tmp_path / "again", "30", STAGED)
  a = read_events(Path(straight) / "events.jsonl")[0]
  assert _stable(a) == _stable(read_events(Path(again) / "events.jsonl")[0])

  _interrupt_after(monkeypatch, 12)
  with pytest.raises(KeyboardInterrupt):
    _evolve(tmp_path / "resumed", "30", STAGED)
  monkeypatch.undo()
  interrupted = next(p for p in (tmp_path / "resumed").iterdir() if p.is_dir())
  _evolve(tmp_path, None, resume=str(interrupted))
  assert _stable(read_events(interrupted / "events.jsonl")[0]) == _stable(a)
  # Cached children were logged without their text and rebuilt: the same end state.
  assert any(e["cached"] and "program" not in e for e in a if e["event"] == "candidate")
  assert _final_state(interrupted) == _final_state(Path(straight))


def _final_state(run_dir: Path) -> dict:
  checkpoint = json.loads((run_dir / "checkpoint.json").read_text())
  return {k: v for k, v in checkpoint.items() if k != "elapsed"}


@pytest.mark.slow
def test_resuming_a_finished_run_logs_nothing_again(tmp_path):
  summary, run_dir = _evolve(tmp_path, "30", STAGED)
  before = (Path(run_dir) / "events.jsonl").read_bytes()
  again, _ = _evolve(tmp_path, None, resume=run_dir)
  assert (Path(run_dir) / "events.jsonl").read_bytes() == before
  line = next(x for x in again.splitlines() if x.startswith("meta-validation on"))
  points = line.split(") ")[1].split(", ")
  assert len(set(points)) == len(points) and line in summary


def test_an_old_event_log_with_every_program_text_resumes_into_its_end_state(tmp_path):
  """A log written before cached children lost their text (tests/data/run_20261205)."""
  from discover import config as config_lib
  from discover.search import rundir as runs
  from discover.dsl.load import load_program
  from discover.search import resume
  from discover.search.loop import Search

  run_dir = tmp_path / "run"
  shutil.copytree(OLD_RUN, run_dir)
  end = _final_state(run_dir)
  (run_dir / "checkpoint.json").unlink()  # the whole log is told again
  cfg = config_lib.load_recorded(run_dir / "config.yaml")
  search = Search(cfg, run_dir, load_program(cfg.search.start))
  resume.restore(search)
  search.events = runs.EventLog(run_dir / "events.jsonl")
  search._clock = 0.0
  search.checkpoint()
  rebuilt = _final_state(run_dir)  # with fields added since: compared on the old ones
  rebuilt["counters"] = {k: rebuilt["counters"][k] for k in end["counters"]}
  assert {k: rebuilt[k] for k in end} == end


def test_the_summary_gives_the_seconds_of_the_last_event_as_the_report_does(tmp_path):
  from discover.commands import _summary
  from discover.search.run import run_search
  from discover.audit.report import summarize

  search = run_search(None, SMALL + [f"run.root={tmp_path}"], "10", None, progress=False)
  search.elapsed_before += 100  # the clock runs on after the last event (the shutdown)
  events = read_events(search.run_dir / "events.jsonl")[0]
  seconds = summarize(events, 8, 0).seconds
  assert seconds == events[-1]["time"] and f"searched {seconds:.0f}s" in _summary(search)


def test_a_time_budget_bar_counts_seconds_and_evaluations_per_second():
  from discover.search.run import _progress_bar
  from discover.search.state import Counters

  search = types.SimpleNamespace(
      budget=("seconds", 600.0), counters=Counters(evaluated=61, generated=100),
      evolution=types.SimpleNamespace(best=types.SimpleNamespace(fitness=0.01)),
      elapsed=lambda: 61.5)
  bar = _progress_bar(search, True)
  with bar as update:
    update(search)
    text = str(bar.bar)
  assert "61/600 s" in text and "1.0 evals/s" in text and "s/s" not in text.replace(
      "evals/s", "")


def test_behaviourally_equivalent_children_are_not_retrained(tmp_path):
  summary, run_dir = _evolve(tmp_path, "60", PAPER_MUTATIONS)
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  first_score = {}
  for e in events:
    if e["event"] == "candidate" and not e["cached"] and e["probe"]:
      first_score.setdefault(e["probe"], e["fitness"])
  hits = [e for e in events if e["cached"] == "behaviour"]
  assert hits, "a 60-evaluation search should meet a behavioural duplicate"
  for hit in hits:
    assert first_score[hit["probe"]] == hit["fitness"]
  assert f"behaviour {len(hits)}" in summary


def test_restarts_reseed_the_population_on_a_plateau(tmp_path):
  summary, run_dir = _evolve(tmp_path, "40", ["search.restart_after=5"])
  events = read_events(Path(run_dir) / "events.jsonl")[0]
  candidates = [e for e in events if e["event"] == "candidate"]
  ids = {e["id"] for e in candidates}
  # After a restart, parents are fresh copies (new ids), never earlier candidates.
  fresh_parents = [e for e in candidates if e["parent"] not in ids and e["parent"] >= 8]
  assert fresh_parents and "restarts 0" not in summary
