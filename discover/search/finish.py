"""The end of a run: a winner chosen on held-out tiers, and what a user takes away.

The proxy best (``best.py``) is the program that fit the proxy tasks best, and a proxy
winner often does not carry over: one default run's best.py (proxy +0.079) scored -0.23
to -0.30 on the funnel and lost to tuned AdamW on the held-out char-LM. So a run ends by
choosing among *finalists* on the tiers it did not search on:

* the finalists are the ``meta_validation.finalists`` best distinct programs on the
  funnel, the proxy best (when it was funneled) and the start program, the yardstick;
  each is meta-validated (``Search._queue_finalists``, through the executor; scores
  already known come from the meta cache);
* the winner has the best min(funnel fitness, meta-validation fitness) (``held_out``);
  when no finalist beats the start program there, the winner is the start program;
* with the funnel off, the proxy best and the start program are compared on
  meta-validation; with both off, the winner is the proxy best, chosen on the proxy alone.

``write`` then leaves in the run directory ``winner.py`` (the program, and why it won),
``optimizer.py`` (simplified by ``discover.simplify.steps``'s exact steps, no training, then
exported by ``discover.export.transform``) and ``summary.md``; ``closing_lines`` are the last lines
``evolve`` prints.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

from discover import config as config_lib
from discover.config import Config, TaskSection
from discover.dsl import analysis
from discover.search import rundir as runs
from discover.dsl.program import Program, to_text

FACTORY = "optimizer"  # the factory optimizer.py defines: from optimizer import optimizer


@dataclasses.dataclass
class Finalist:
  """A program the winner is chosen from, with its fitness on each tier (None: not scored,
  the tier being off; -inf: it failed there)."""

  id: int | None  # candidate id (None: the start program)
  program: Program
  key: str  # dataflow hash
  proxy: float
  roles: list[str]  # why it is a finalist: "start program", "funnel #1", "proxy best"
  funnel: float | None = None
  meta: float | None = None

  @property
  def name(self) -> str:
    return "the start program" if self.id is None else f"candidate {self.id}"


@dataclasses.dataclass
class Tier:
  """The winner's fitness on one tier, and per task its score and learning-rate scale."""

  name: str  # "proxy", "funnel" or "meta-validation"
  section: TaskSection  # its config section (tasks, seeds, lr_scales)
  fitness: float | None  # None: the tier is off
  tasks: dict[str, tuple[float | None, float | None]]  # task -> (score, lr scale chosen)


@dataclasses.dataclass
class Outcome:
  """What ``write`` chose and wrote."""

  run_dir: Path
  winner: Finalist
  finalists: list[Finalist]
  reason: str
  tiers: list[Tier]
  simplified: Program
  steps: list[str]  # the simplification steps taken, described
  known: str | None  # the known optimizer the detector names, if any
  signature: str  # the factory's signature
  reads_lr: bool
  overfitting: Overfitting | None = None  # meta-overfitting seen in the run, if any


# -- meta-overfitting -------------------------------------------------------------------

OVERFIT_MARGIN = 0.01  # held-out fitness this far (log10) below its peak has fallen


@dataclasses.dataclass(frozen=True)
class Overfitting:
  """Meta-overfitting in a run: the best so far rose on the proxy after the point where
  its meta-validation fitness peaked, and fell there. Points are (evaluations, proxy
  fitness, meta-validation fitness)."""

  peak: tuple[int, float, float]
  last: tuple[int, float, float]

  def describe(self) -> str:
    (a, p0, m0), (b, p1, m1) = self.peak, self.last
    return (f"meta-overfitting: from evaluation {a} to {b} the best so far rose on the proxy "
            f"({p0:+.4f} -> {p1:+.4f}) while its meta-validation fitness fell ({m0:+.4f} -> "
            f"{m1:+.4f})")


def meta_overfitting(events: list[dict]) -> Overfitting | None:
  """Meta-overfitting in the curve of the best so far (``meta`` events; finalists'
  ``final`` ones are not on it): the last point's proxy fitness above that of the point
  where meta-validation fitness peaked, and its meta-validation fitness more than
  ``OVERFIT_MARGIN`` below the peak. A point that failed meta-validation counts as -inf."""
  points = [(e.get("evaluated") or 0, e["proxy_fitness"], _fitness(e["fitness"]))
            for e in events if e["event"] == "meta" and e.get("proxy_fitness") is not None]
  if len(points) < 2:
    return None
  peak = max(points, key=lambda p: p[2])  # the first of equal peaks
  last = points[-1]
  if last[1] > peak[1] and last[2] < peak[2] - OVERFIT_MARGIN:
    return Overfitting(peak, last)
  return None


# -- choosing ---------------------------------------------------------------------------


def finalists(search, events: list[dict] | None = None) -> list[Finalist]:
  """The run's finalists (see the module docstring), the start program first, with their
  funnel scores from ``events`` (default: the run's events.jsonl) and meta-validation
  scores from the search's meta cache."""
  cfg = search.cfg
  if events is None:
    events = runs.read_events(search.run_dir / "events.jsonl")[0]
  start_key = analysis.dataflow_hash(search.start)
  chosen = {start_key: Finalist(None, search.start, start_key,
                                search.caches.proxy.get(start_key, -math.inf), ["start program"])}

  def add(id_, program: Program, key: str, proxy: float, role: str) -> None:
    chosen.setdefault(key, Finalist(id_, program, key, proxy, [])).roles.append(role)

  best = search.evolution.best
  best_key = analysis.dataflow_hash(best.genome)
  funneled = _funnel_events(events) if cfg.funnel.tasks else None
  if funneled is None:
    add(best.id, best.genome, best_key, best.fitness, "proxy best")
  else:
    from discover.dsl.parse import parse
    ranked = sorted((e for e in funneled.values() if e["id"] is not None
                     and e["fitness"] is not None), key=lambda e: -e["fitness"])  # stable
    for rank, e in enumerate(ranked[:finalist_count(cfg)], 1):
      add(e["id"], parse(e["program"]), e["hash"], _fitness(e.get("proxy_fitness")),
          f"funnel #{rank}")
    if best_key in funneled:
      add(best.id, best.genome, best_key, best.fitness, "proxy best")
  for f in chosen.values():
    if funneled is not None:
      f.funnel = _fitness(funneled[f.key]["fitness"]) if f.key in funneled else -math.inf
    if cfg.meta_validation.tasks:
      f.meta = search.caches.meta.get(f.key)
  return list(chosen.values())


def finalist_count(cfg: Config) -> int:
  """``meta_validation.finalists``, or where a config read as it is from a config.yaml
  written before the key lacks it, today's default (what ``config.load`` fills in)."""
  count = cfg.meta_validation.finalists
  return count if count is not None else config_lib.DEFAULTS["meta_validation"]["finalists"]


def _funnel_events(events: list[dict]) -> dict[str, dict]:
  """The first funnel re-score of each program, by dataflow hash."""
  out: dict[str, dict] = {}
  for e in events:
    if e["event"] == "funnel":
      out.setdefault(e["hash"], e)
  return out


def _fitness(value) -> float:
  return -math.inf if value is None else float(value)


def criterion(cfg: Config) -> str:
  """What the winner is chosen on, in words."""
  on = bool(cfg.funnel.tasks), bool(cfg.meta_validation.tasks)
  return {(True, True): "min(funnel, meta-validation) fitness",
          (True, False): "funnel fitness", (False, True): "meta-validation fitness",
          (False, False): "proxy fitness"}[on]


def held_out(f: Finalist) -> float:
  """The score a winner is chosen on: the worse of its funnel and meta-validation fitness
  (whichever is on); the proxy fitness only when both are off."""
  # The min, not the mean: a winner must hold up on every held-out tier (as
  # evaluation.aggregate's min makes a child hold up on every task); a mean would let a
  # margin on the funnel buy back a loss on the target task, the very failure (proxy
  # winners that lose where they were not trained) this choice is here to stop.
  tiers = [s for s in (f.funnel, f.meta) if s is not None]
  return min(tiers) if tiers else f.proxy


def choose(finals: list[Finalist], cfg: Config) -> tuple[Finalist, str]:
  """The winner (the start program on a tie) and why it won, in one sentence."""
  winner = min(finals, key=lambda f: (-held_out(f), f.id is not None))
  return winner, _reason(winner, finals, cfg)


def _reason(winner: Finalist, finals: list[Finalist], cfg: Config) -> str:
  what, start = criterion(cfg), finals[0]
  others = [f for f in finals if f.id is not None]
  if not cfg.funnel.tasks and not cfg.meta_validation.tasks:
    if winner is start:
      return ("the start program: no candidate beat it on the proxy (funnel and "
              "meta-validation are off)")
    return (f"{winner.name}, the proxy best, chosen on the proxy alone: funnel and "
            f"meta-validation are off, so nothing checked that it carries over")
  if winner is not start:
    return (f"{winner.name}: the best {what} of {len(finals)} finalists "
            f"({_show(held_out(winner))}; the start program {_show(held_out(start))})")
  if not others:
    why = ("no candidate reached the funnel (threshold "
           f"{cfg.funnel.threshold:g})" if cfg.funnel.tasks
           else "no candidate beat it on the proxy")
    return f"the start program: {why}"
  rival = max(others, key=held_out)
  return (f"the start program: no finalist beat it on {what} (the start program "
          f"{_show(held_out(start))}; the best other, {rival.name}, {_show(held_out(rival))})")


# -- the winner on each tier ------------------------------------------------------------


_TIERS = (("proxy", "evaluation", ("start", "candidate")), ("funnel", "funnel", ("funnel",)),
          ("meta-validation", "meta_validation", ("meta", "final")))


def tiers(winner: Finalist, events: list[dict], cfg: Config, references: dict) -> list[Tier]:
  """The winner's fitness per tier, from the first evaluation of it each tier logged."""
  out = []
  for name, key, kinds in _TIERS:
    section = cfg.task_sections()[key]
    if not section.tasks:
      out.append(Tier(name, section, None, {}))
      continue
    event = next((e for e in events if e["event"] in kinds and e.get("hash") == winner.key
                  and e.get("metrics")), None)
    if event is None:  # never trained there (cannot happen for a finalist); say so
      out.append(Tier(name, section, -math.inf, {}))
      continue
    scales = event.get("lr_scales") or {}
    tasks = {task: (_task_score(task, values, section.seeds, references),
                    scales.get(task)) for task, values in event["metrics"].items()}
    out.append(Tier(name, section, _fitness(event["fitness"]), tasks))
  return out


def _task_score(task: str, values: list, seeds: tuple[int, ...],
                references: dict) -> float | None:
  """The mean log10 improvement over tuned AdamW over seeds (None: a seed diverged)."""
  from discover.execute.evaluate import task_score
  from proxy_tasks import get_task

  if any(v is None for v in values) or task not in references:
    return None
  paired = references[task]  # manifest.json: {seed: metric}; older runs: one metric

  def reference(seed: int) -> float:
    return float(paired[str(seed)] if isinstance(paired, dict) else paired)

  scores = [task_score(get_task(task), v, reference(s)) for v, s in zip(values, seeds)]
  return sum(scores) / len(scores)


# -- the outputs ------------------------------------------------------------------------


def write(search) -> Outcome:
  """Chooses the winner and writes winner.py, optimizer.py and summary.md.

  Raises:
    OSError: a file cannot be written.
  """
  from discover.export import module as export

  events = runs.read_events(search.run_dir / "events.jsonl")[0]
  finals = finalists(search, events)
  winner, reason = choose(finals, search.cfg)
  references = json.loads((search.run_dir / "manifest.json").read_text(
      encoding="utf-8"))["references"]
  program, steps, known = simplified(winner.program)
  description = (f"The winner of the discover run {search.run_dir.name}: {reason}. "
                 f"Simplified from winner.py by exact steps (no training).")
  try:
    source = export.module_source(program, FACTORY, description=description)
  except ValueError:  # ProgramError too: keep the run's outputs, from the raw program
    program, steps, known = winner.program, ["export of the simplified form failed: raw"], None
    source = export.module_source(program, FACTORY, description=description)
  outcome = Outcome(search.run_dir, winner, finals, reason,
                    tiers(winner, events, search.cfg, references), program, steps, known,
                    export.factory_signature(program, FACTORY), analysis.reads_lr(program),
                    meta_overfitting(events))
  runs.write_atomic(search.run_dir / "winner.py",
                    f'"""Winner: {reason}."""\n\n' + to_text(winner.program))
  runs.write_atomic(search.run_dir / "optimizer.py", source)
  runs.write_atomic(search.run_dir / "summary.md", render(outcome, search))
  return outcome


def simplified(program: Program) -> tuple[Program, list[str], str | None]:
  """The program after simplify's exact steps (no training), the steps, and the known
  optimizer it is, if any. The canonical algebraic form is kept only where it is not
  longer than the program before it (AdamW's grows from 9 statements to 12)."""
  from discover.simplify import detect
  from discover.simplify import steps as simplify_lib

  try:
    result = simplify_lib.simplify(program, scorer=None, detect=False)
    match = detect.detect(result.program)
  except Exception as e:  # noqa: BLE001 - a simplifier bug must not cost the run its outputs
    return program, [f"not simplified ({type(e).__name__}: {e})"], None
  steps = [s for s in result.steps if s.kind != "rename"]
  exact = [s for s in steps if s.kind in ("constant folding", "dead code")]
  plain = exact[-1].program if exact else program
  if len(result.program.statements) > len(plain.statements):
    program, steps = plain, exact
  else:
    program = result.program
  return program, [s.describe() for s in steps], match.describe() if match else None


# -- text -------------------------------------------------------------------------------


def _show(x: float | None) -> str:
  if x is None:
    return "off"
  return f"{x:+.4f}" if math.isfinite(x) else "failed"


def _tasks_text(tier: Tier) -> str:
  parts = []
  for task, (score, scale) in tier.tasks.items():
    text = f"{task} {'diverged' if score is None else f'{score:+.3f}'}"
    parts.append(text + (f" (lr x{scale:.3g})" if scale is not None else ""))
  return ", ".join(parts)


def usage(outcome: Outcome) -> list[str]:
  """Three lines of Python that load optimizer.py and make the transformation."""
  comment = ("1.0: the step size the search found; or a schedule from 1.0" if outcome.reads_lr
             else "1.0: the step size the search found (it multiplies the update)")
  preferred = _preferred_scale(outcome)
  if preferred is not None:
    comment += f" (the held-out tasks did best at {preferred:.3g})"
  return [f"import sys; sys.path.insert(0, {json.dumps(str(outcome.run_dir))})",
          f"from optimizer import {FACTORY}",
          f"tx = {FACTORY}(learning_rate=1.0)  # {comment}"]


def _preferred_scale(outcome: Outcome) -> float | None:
  """The learning-rate scale every tuned held-out task chose, when they agree on one
  other than 1."""
  chosen = {scale for tier in outcome.tiers[1:] for _, scale in tier.tasks.values()
            if scale is not None}
  return chosen.pop() if len(chosen) == 1 and chosen != {1.0} else None


def closing_lines(outcome: Outcome) -> list[str]:
  """The winner on each tier, where optimizer.py is, and how to use it."""
  lines = [f"winner: {outcome.reason}",
           "its fitness against tuned AdamW (log10 improvement, 0 = tuned AdamW):"]
  for tier in outcome.tiers:
    lines.append(f"  {tier.name + ':':<17}{_show(tier.fitness):>8}  {_tasks_text(tier)}"
                 .rstrip())
  if outcome.overfitting:
    lines.append(outcome.overfitting.describe())
  lines.append(f"optimizer: {outcome.run_dir / 'optimizer.py'} "
               f"({outcome.signature}; why: summary.md)")
  return lines + ["  " + line for line in usage(outcome)]


def render(outcome: Outcome, search) -> str:
  """summary.md: the winner, the finalists, the program, how to use it, what ran."""
  o, cfg = outcome, search.cfg
  lines = [f"# Run {o.run_dir.name}", "",
           f"**Use `optimizer.py`**: the winner, simplified and exported as an optax "
           f"`GradientTransformation` (`{o.signature}`).", "",
           "## The winner", "", f"Chosen: {o.reason}.", "",
           "| tier | tasks (seeds) | fitness | per task (learning-rate scale chosen) |",
           "|---|---|---|---|"]
  for tier in o.tiers:
    tasks = ", ".join(tier.section.tasks) or "-"
    seeds = ", ".join(map(str, tier.section.seeds))
    lines.append(f"| {tier.name} | {tasks} ({seeds}) | {_show(tier.fitness)} | "
                 f"{_tasks_text(tier) or '-'} |")
  lines += ["", "Fitness is the log10 improvement over AdamW tuned on each task (0: as good "
            "as tuned AdamW; +0.1: 1.26 times lower loss), the mean over seeds, then the "
            f"{cfg.evaluation.aggregate} over tasks. {_tuning(cfg)}", ""]
  return "\n".join(lines + _finalists_section(o, cfg) + _overfitting_section(o, cfg)
                   + _program_section(o) + _usage_section(o) + _ran_section(search)) + "\n"


def _overfitting_section(o: Outcome, cfg: Config) -> list[str]:
  if not cfg.meta_validation.tasks:
    return []
  found = (o.overfitting.describe().capitalize() + "." if o.overfitting else
           "Not seen: the best so far did not rise on the proxy while falling on "
           f"meta-validation by more than {OVERFIT_MARGIN} after its peak there.")
  return ["## Meta-overfitting", "", found, ""]


def _tuning(cfg: Config) -> str:
  """How the held-out tiers tuned the learning rate, in a sentence."""
  # No lr_scales (a config.yaml from before the key): one scale, no tuning.
  scales = {name: ", ".join(f"{k:.3g}" for k in section.lr_scales)
            for name, section in (("the funnel", cfg.funnel),
                                  ("meta-validation", cfg.meta_validation))
            if section.tasks and section.lr_scales is not None and len(section.lr_scales) > 1}
  if not scales:
    return ""
  tiers = " and ".join(scales)
  values = ("; ".join(f"{v} on {k}" for k, v in scales.items())
            if len(set(scales.values())) > 1 else next(iter(scales.values())))
  s = "" if len(scales) > 1 else "s"  # the verbs agree with one tier or two
  return (f"{tiers[0].upper() + tiers[1:]} train{s} each program with its learning rate "
          f"scaled by {values} and keep{s} the best per task, as AdamW's reference was "
          f"tuned on each task.")


def _finalists_section(o: Outcome, cfg: Config) -> list[str]:
  lines = ["## Finalists", "", f"Chosen on {criterion(cfg)}; the start program is the "
           "yardstick. `best.py` is the proxy's pick and `best_funnel.py` the funnel's; "
           "neither is checked on the other tiers.", "",
           "| program | why a finalist | proxy | funnel | meta-validation | chosen on |",
           "|---|---|---|---|---|---|"]
  for f in sorted(o.finalists, key=lambda f: -held_out(f)):
    mark = " (winner)" if f is o.winner else ""
    lines.append(f"| {f.name}{mark} | {', '.join(f.roles)} | {_show(f.proxy)} | "
                 f"{_show(f.funnel)} | {_show(f.meta)} | {_show(held_out(f))} |")
  return lines + [""]


def _program_section(o: Outcome) -> list[str]:
  known = f" The known-optimizer detector names it: {o.known}." if o.known else ""
  lines = ["## The program", "", "As found (`winner.py`):", "", "```python",
           to_text(o.winner.program).rstrip(), "```", ""]
  how = ("the exact steps of `discover.simplify.steps` (constant folding, dead code, the "
         "canonical algebraic form checked on probe gradient streams; no training)")
  if o.simplified == o.winner.program:
    return lines + [f"Simplifying by {how} changes nothing shorter: `optimizer.py` exports "
                    f"it as it is.{known}", ""]
  steps = [f"{i}. {s}" for i, s in enumerate(o.steps, 1)]
  return lines + [f"Simplified by {how}, as `optimizer.py` exports it:{known}", "",
                  "```python", to_text(o.simplified).rstrip(), "```", "", *steps, ""]


def _usage_section(o: Outcome) -> list[str]:
  lr = ("The program reads `lr`, and `learning_rate` is passed to it as `lr`: the search "
        "fed it `optax.cosine_decay_schedule(1.0, steps)`, so `learning_rate=1.0` (or that "
        "schedule) is the step size it found." if o.reads_lr
        else "The program never reads `lr` (its step size is in its constants), so "
        "`learning_rate` multiplies its update: 1.0 reproduces the rule as found, and a "
        "schedule from 1.0 decays it.")
  return ["## Using optimizer.py", "", "It needs only jax and optax.", "", "```python",
          *usage(o), "import optax", "opt_state = tx.init(params)",
          "updates, opt_state = tx.update(grads, opt_state, params)  # it may read the "
          "weights", "params = optax.apply_updates(params, updates)", "```", "",
          f"{lr} Scale from there. The program's constants are keyword hyperparameters of "
          "the factory.", ""]


def _ran_section(search) -> list[str]:
  cfg, c = search.cfg, search.counters
  section = lambda s: (", ".join(s.tasks) + f" (seeds {', '.join(map(str, s.seeds))})"
                       if s.tasks else "off")
  finalists = (f"; finalists: the start program, the proxy best if funneled and up to "
               f"{finalist_count(cfg)} best on the funnel, "
               f"{c.finalists} of them meta-validated at the end"
               if cfg.funnel.tasks and cfg.meta_validation.tasks else "")
  return ["## What ran", "",
          f"- search: seed {cfg.seed}, start `{cfg.search.start}`, population "
          f"{cfg.search.population}, budget {cfg.search.budget}: "
          f"{c.evaluated} proxy trainings ({c.failed} failed), {c.generated} children, "
          f"cache hits {c.hash_hits + c.behaviour_hits}, {search.wall_time():.0f} s",
          f"- proxy: {section(cfg.evaluation)}, aggregate {cfg.evaluation.aggregate}",
          f"- funnel: {section(cfg.funnel)}, {c.funneled} re-scores",
          f"- meta-validation: {section(cfg.meta_validation)}, {c.validated} of the best "
          f"so far{finalists}",
          "- files: `winner.py`, `optimizer.py`, `best.py` (proxy best), `best_funnel.py`, "
          "`events.jsonl` (every evaluation; `python -m discover replay` re-checks them), "
          "`config.yaml`, `manifest.json`, `checkpoint.json`", ""]
