"""The report of a real shrunken run: its numbers agree with the search's own checkpoint,
its plots are real PNGs, its final programs are the run's and export to the same updates."""

import importlib.util
import json
import math
import os
import re
import shutil
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from matplotlib import image as mpimg

from discover import config as config_lib
from discover.audit import report as report_lib
from discover import to_optax
from discover.dsl.baselines import baseline_program
from discover.dsl.parse import read_program
from discover.dsl.program import to_text
from discover.search import rundir
from support import event_lines as read_events

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def run_dir(staged_run):
  """conftest's shrunken staged run (test_replay replays the same one)."""
  return staged_run


@pytest.fixture(scope="module")
def written(run_dir, tmp_path_factory):
  out = tmp_path_factory.mktemp("report")
  message = report_lib.report(str(run_dir), str(out), detect=False)
  return out, (out / "report.md").read_text(), message


@pytest.fixture(scope="module")
def checkpoint(run_dir):
  return json.loads((run_dir / "checkpoint.json").read_text())


def _summary(run_dir):
  cfg = config_lib.load(run_dir / "config.yaml")
  events = rundir.read_events(run_dir / "events.jsonl")[0]  # cache hits completed
  return report_lib.summarize(events, cfg.search.population,
                              cfg.search.restart_after, feedback=bool(cfg.funnel.feedback))


def test_counts_agree_with_the_search_counters(run_dir, written, checkpoint):
  c, s = checkpoint["counters"], _summary(run_dir)
  for name in ("generated", "evaluated", "failed", "hash_hits", "behaviour_hits", "restarts",
               "funneled", "validated"):
    assert getattr(s, name) == c[name], name
  assert c["restarts"] > 0 and c["behaviour_hits"] + c["hash_hits"] > 0  # all paths run
  _, md, _ = written
  hits = c["hash_hits"] + c["behaviour_hits"]
  for row in (f"| children generated | {c['generated']} |",
              f"| evaluations (proxy trainings, the start program included) | {c['evaluated']} |",
              f"| failed (diverged or crashed) | {c['failed']} |",
              f"| cache hits: dataflow hash | {c['hash_hits']} "
              f"({c['hash_hits'] / c['generated']:.1%}) |",
              f"| cache hits: behaviour | {c['behaviour_hits']} "
              f"({c['behaviour_hits'] / c['generated']:.1%}) |",
              f"| cache hit rate | {hits / c['generated']:.1%} |",
              f"| restarts | {c['restarts']} |", f"| funnel re-scores | {c['funneled']} |"):
    assert row in md


def test_the_rebuilt_population_is_the_checkpointed_one(run_dir, written, checkpoint):
  s = _summary(run_dir)
  saved = [-math.inf if m["fitness"] is None else m["fitness"]
           for m in checkpoint["evolution"]["population"]]
  assert s.population == saved
  assert s.median_curve[-1] == float(np.median(saved))
  best = checkpoint["evolution"]["best"]
  assert s.best["id"] == best["id"] and s.best["fitness"] == best["fitness"]
  assert s.best_curve == list(np.maximum.accumulate(s.best_curve))
  assert s.best_curve[-1] == best["fitness"] and len(s.best_curve) == s.generated
  _, md, _ = written
  who = "the start program" if best["id"] is None else f"candidate {best['id']}"
  assert f"| best proxy fitness | {best['fitness']:+.4f} ({who}) |" in md


def test_every_plot_the_report_shows_is_a_png(written):
  out, md, message = written
  images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
  assert sorted(images) == ["cache_hits.png", "fitness.png", "funnel.png",
                            "meta_validation.png"]
  for name in images:
    assert (out / name).read_bytes()[:8] == PNG_SIGNATURE
    pixels = mpimg.imread(out / name)
    assert pixels.shape == (400, 700, 4) and pixels[..., :3].std() > 0.05
  assert message.startswith(f"wrote {out / 'report.md'} (4 plots")


def test_meta_and_funnel_tables_list_every_event(run_dir, written):
  _, md, _ = written
  events = read_events(run_dir)
  for e in (e for e in events if e["event"] in ("meta", "funnel")):
    who = "the start program" if e["id"] is None else f"candidate {e['id']}"
    shown = "failed" if e["fitness"] is None else f"{e['fitness']:+.4f}"
    if e["event"] == "meta":
      assert re.search(rf"^\| {e['evaluated']} \| {who} \| \S+ \| {re.escape(shown)}", md,
                       re.M)
    elif e["event"] == "funnel":
      assert re.search(rf"^\| {who} \| \S+ \| {re.escape(shown)} \|", md, re.M)
  rows = [line for line in md.splitlines() if re.match(r"^\| (\d+ \| )?(the|candidate)", line)]
  assert len(rows) == sum(e["event"] in ("meta", "funnel") for e in events)


def _updates(transform, steps: int = 4) -> list[np.ndarray]:
  """Updates of an optax transformation on a small pytree and fixed gradients."""
  params = {"a": jnp.linspace(-1.0, 1.0, 6).reshape(2, 3), "b": jnp.array([0.5, -2.0])}
  state, out = transform.init(params), []
  for step in range(steps):
    grads = jax.tree.map(lambda p, step=step: jnp.sin(p * (step + 1.3)) + 0.1 * step, params)
    updates, state = transform.update(grads, state, params)
    out.append(np.concatenate([np.ravel(u) for u in jax.tree.leaves(updates)]))
  return out


@pytest.mark.parametrize("name", ["best.py", "best_funnel.py"])
def test_final_programs_are_shown_and_export_to_the_same_updates(run_dir, written, name):
  out, md, _ = written
  raw = read_program(run_dir / name)
  section = md.split(f"### {name}")[1].split("### ")[0]
  assert to_text(raw).rstrip() in section and "Simplified (" in section
  stem = name[:-3]
  path = out / f"{stem}_optax.py"
  assert f"]({stem}_optax.py)" in section and path.exists()
  spec = importlib.util.spec_from_file_location(f"exported_{stem}", path)
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  exported = _updates(getattr(module, stem)(1e-2))
  for a, b in zip(exported, _updates(to_optax(raw, 1e-2))):
    np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-7)


def _copy(run_dir, tmp_path):
  copy = tmp_path / "run"
  shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("report"))
  return copy


def test_an_up_to_date_simplified_file_is_used(run_dir, tmp_path):
  copy = _copy(run_dir, tmp_path)
  lion = baseline_program("lion")
  done = copy / "best_simplified.py"
  done.write_text('"""best.py, simplified (1 steps)."""\n\n' + to_text(lion))
  report_lib.report(str(copy), detect=False)
  md = (copy / "report" / "report.md").read_text()
  section = md.split("### best.py")[1].split("### ")[0]
  assert "Simplified (`best_simplified.py`, by `discover simplify`)" in section
  assert to_text(lion).rstrip() in section
  stale = (copy / "best.py").stat().st_mtime - 60
  os.utime(done, (stale, stale))  # older than best.py: the search has moved on
  report_lib.report(str(copy), detect=False)
  md = (copy / "report" / "report.md").read_text()
  assert "best_simplified.py" not in md and to_text(lion).rstrip() not in md


def test_a_run_without_funnel_or_meta_says_so(run_dir, tmp_path):
  copy = _copy(run_dir, tmp_path)
  cfg = config_lib.load(copy / "config.yaml", ["funnel.tasks=[]", "meta_validation.tasks=[]"])
  (copy / "config.yaml").write_text(config_lib.dump(cfg))
  events = [e for e in read_events(copy) if e["event"] in ("start", "candidate")]
  (copy / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in events))
  (copy / "best_funnel.py").unlink()
  out = tmp_path / "out"
  report_lib.report(str(copy), str(out), detect=False)
  md = (out / "report.md").read_text()
  assert "Off (`funnel.tasks` is empty)" in md and "Off (`meta_validation.tasks` is empty)" in md
  assert sorted(p.name for p in out.glob("*.png")) == ["cache_hits.png", "fitness.png"]
  assert "### best_funnel.py" not in md


def test_the_meta_plot_marks_tuned_adamw_at_zero(run_dir):
  ax = report_lib.meta_figure(_summary(run_dir)).axes[0]
  zero = [line for line in ax.get_lines() if line.get_label() == "tuned AdamW"]
  assert len(zero) == 1 and set(zero[0].get_ydata()) == {0.0}
  assert zero[0].get_linestyle() == "--"
  assert "tuned AdamW" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_clustered_funnel_winners_get_colours_and_a_legend_not_overlapping_labels():
  rows = [{"id": None, "fitness": -0.2, "proxy": 0.0, "failure": None, "cached": False}]
  rows += [{"id": 100 + i, "fitness": -0.05 + 1e-4 * (i % 7), "proxy": 0.01 + 1e-5 * i,
            "failure": None, "cached": False} for i in range(30)]
  ax = report_lib.funnel_figure(report_lib.Summary(funnel=rows)).axes[0]
  assert not ax.texts  # no label per point
  legend = [t.get_text() for t in ax.get_legend().get_texts()]
  assert "best on the funnel: candidate 106" in legend
  assert "the start program (the yardstick)" in legend


def test_an_old_log_with_every_program_text_is_summarized_like_its_checkpoint():
  """A log written before cached children lost their text (tests/data/run_20261205)."""
  run = Path(__file__).parent / "data/run_20261205"
  c = json.loads((run / "checkpoint.json").read_text())["counters"]
  s = report_lib.summarize(read_events(run), 30, 0)
  for name in ("generated", "evaluated", "failed", "hash_hits", "behaviour_hits", "funneled"):
    assert getattr(s, name) == c[name], name
