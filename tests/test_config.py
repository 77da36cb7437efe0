"""Configuration: defaults, strict keys and types, overrides, budgets, safe YAML."""

import copy
import dataclasses
from pathlib import Path

import pytest
import yaml

from discover import config

ROOT = Path(__file__).resolve().parent.parent
USER_CONFIGS = sorted((ROOT / "runs" / "configs").glob("*.yaml"))
# Committed runs, and a run of 2026-12-05 kept as the old formats' fixture.
RUN_CONFIGS = sorted([*(ROOT / "runs" / "reference").glob("**/config.yaml"),
                      ROOT / "tests" / "data" / "run_20261205" / "config.yaml"])
# Keys newer than the 2026-12-05 run's config.yaml.
NEWER_KEYS = ("funnel.lr_scaling", "meta_validation.lr_scaling", "meta_validation.finalists")


def _leaf_keys(mapping: dict, prefix: str = "") -> list[str]:
  keys = []
  for key, value in mapping.items():
    keys += _leaf_keys(value, f"{prefix}{key}.") if isinstance(value, dict) else [prefix + key]
  return keys


def _field_keys(kind, prefix: str = "") -> list[str]:
  keys = []
  for f in dataclasses.fields(kind):
    section = config._SECTION_TYPES.get(f.name) if kind is config.Config else None
    keys += _field_keys(section, f"{f.name}.") if section else [prefix + f.name]
  return keys


def _attribute(cfg: config.Config, dotted: str):
  value = cfg
  for part in dotted.split("."):
    value = getattr(value, part)
  return value


def _merged(base: dict, update: dict) -> dict:
  """What load did before Config: the defaults with a file's keys set over them."""
  out = copy.deepcopy(base)
  for key, value in update.items():
    out[key] = _merged(out[key], value) if isinstance(value, dict) else value
  return out


def _name(path) -> str:
  return "default" if path is None else str(Path(path).relative_to(ROOT))


def test_default_is_valid_and_commented():
  loaded = config.load()
  assert loaded.to_dict() == config.DEFAULTS
  for line in config.DEFAULT_YAML.splitlines():
    if ":" in line and not line.rstrip().endswith(":"):
      assert "#" in line, f"uncommented default: {line}"


def test_file_and_overrides_merge_in_order(tmp_path):
  path = tmp_path / "c.yaml"
  path.write_text("search:\n  population: 50\nevaluation:\n  tasks: [logistic, quadratic]\n")
  loaded = config.load(path, ["search.population=20", "mutation.insert=0.5", "seed=3"])
  assert loaded.search.population == 20 and loaded.mutation.insert == 0.5
  assert loaded.evaluation.tasks == ("logistic", "quadratic") and loaded.seed == 3
  assert loaded.search.tournament == config.load().search.tournament


@pytest.mark.parametrize("text, message", [
    ("serch:\n  population: 5\n", "unknown key 'serch'"),
    ("search:\n  populaton: 5\n", "unknown key 'search.populaton'"),
    ("search:\n  population: many\n", "search.population: expected an integer"),
    ("search:\n  population: -5\n", "search.population: must be positive"),
    ("search:\n  population: 2\n  tournament: 5\n", "cannot exceed search.population"),
    ("search:\n  budget: forever\n", "search.budget: expected a count"),
    ("search: 5\n", "search: expected a mapping"),
    ("evaluation:\n  seeds: [0, one]\n", "evaluation.seeds: expected a list of int"),
    ("evaluation:\n  method: fast\n", "must be machine or compiled"),
    ("evaluation:\n  workers: true\n", "evaluation.workers: expected an integer"),
    ("- a\n- b\n", "a config is a mapping"),
    ("search: [unclosed\n", "invalid YAML"),
    ("!!python/object/apply:os.system ['touch pwned']\n", "invalid YAML"),
])
def test_bad_configs_name_the_key(tmp_path, text, message):
  path = tmp_path / "bad.yaml"
  path.write_text(text)
  with pytest.raises(config.ConfigError, match=message):
    config.load(path)
  assert not (tmp_path / "pwned").exists()


def test_bad_overrides_and_missing_files():
  with pytest.raises(config.ConfigError, match="expects key=value"):
    config.load(None, ["population"])
  with pytest.raises(config.ConfigError, match="unknown key 'search.nope'"):
    config.load(None, ["search.nope=1"])
  with pytest.raises(config.ConfigError, match="cannot read config"):
    config.load("/no/such/file.yaml")


@pytest.mark.parametrize("value, expected", [
    ("500", ("evaluations", 500)), (500, ("evaluations", 500)), ("90s", ("seconds", 90)),
    ("10m", ("seconds", 600)), ("1.5h", ("seconds", 5400)),
])
def test_budgets(value, expected):
  assert config.parse_budget(value) == expected


@pytest.mark.parametrize("value", ["0", "-5", "10x", "2.5", "", "m"])
def test_bad_budgets(value):
  with pytest.raises(config.ConfigError, match="search.budget"):
    config.parse_budget(value)


@pytest.mark.parametrize("path", [None, *USER_CONFIGS, *RUN_CONFIGS], ids=_name)
def test_a_loaded_config_round_trips_through_its_dict_and_its_dump(path, tmp_path):
  loaded = config.load(path)
  plain = loaded.to_dict()
  raw = {} if path is None else yaml.safe_load(Path(path).read_text(encoding="utf-8"))
  assert plain == _merged(config.DEFAULTS, raw)
  rebuilt = config.Config.from_dict(plain)
  assert rebuilt == loaded and rebuilt.to_dict() == plain
  # The YAML dump wrote when load returned the dict itself: a run's config.yaml is unchanged.
  assert config.dump(loaded) == yaml.safe_dump(_merged(config.DEFAULTS, raw), sort_keys=False)
  (tmp_path / "again.yaml").write_text(config.dump(loaded), encoding="utf-8")
  assert config.load(tmp_path / "again.yaml") == loaded


def test_the_committed_runs_configs_are_checked_here():
  assert len(RUN_CONFIGS) >= 4 and len(USER_CONFIGS) >= 2
  old = yaml.safe_load(RUN_CONFIGS[-1].read_text())  # the fixture predates every newer key
  assert all(k.split(".")[1] not in old[k.split(".")[0]] for k in NEWER_KEYS)


@pytest.mark.parametrize("path", RUN_CONFIGS, ids=_name)
def test_a_committed_runs_config_yaml_reads_back_byte_for_byte(path):
  text = path.read_text(encoding="utf-8")
  raw = yaml.safe_load(text)
  as_written = config.Config.from_dict(raw)
  assert config.dump(as_written) == text
  predates = [k for k in NEWER_KEYS if k.split(".")[1] not in raw[k.split(".")[0]]]
  assert all(_attribute(as_written, key) is None for key in predates)
  loaded = config.load(path)  # fills them with today's defaults, as load always has
  assert [_attribute(loaded, key) for key in predates] == [
      _attribute(config.load(), key) for key in predates]
  assert loaded == config.Config.from_dict(_merged(config.DEFAULTS, yaml.safe_load(text)))


@pytest.mark.parametrize("key", _leaf_keys(config.DEFAULTS))
def test_every_default_key_is_a_field_and_back(key):
  default = config._get(config.DEFAULTS, key)
  cfg = config.Config.from_dict(config.DEFAULTS)
  value = _attribute(cfg, key)
  assert (list(value) if isinstance(value, tuple) else value) == default
  assert not isinstance(value, list)  # frozen: lists become tuples
  assert config._get(cfg.to_dict(), key) == default and type(
      config._get(cfg.to_dict(), key)) is type(default)


def test_the_fields_are_the_default_keys_in_their_order():
  assert _field_keys(config.Config) == _leaf_keys(config.DEFAULTS)
  assert list(config.Config.from_dict(config.DEFAULTS).to_dict()) == list(config.DEFAULTS)


def test_the_optional_keys_are_the_ones_old_config_yaml_files_may_lack():
  # Each added after runs were committed whose config.yaml lacks it.
  assert config.OPTIONAL_KEYS == {"funnel.lr_scales", "funnel.lr_scaling", "funnel.feedback",
                                  "meta_validation.lr_scales", "meta_validation.lr_scaling",
                                  "meta_validation.finalists", "search.parsimony",
                                  "search.unique", "search.max_hits", "search.fit_constants",
                                  "mutation.wrap", "mutation.slot", "mutation.swap_op",
                                  "mutation.term", "mutation.op_prior",
                                  "mutation.op_prior_weight",
                                  "mutation.protect_lr", "mutation.second_edit"}
  cfg = config.load()
  for key in sorted(config.OPTIONAL_KEYS):
    section, name = key.split(".")
    without = cfg.without(key)
    assert _attribute(without, key) is None and name not in without.to_dict()[section]
    assert config.Config.from_dict(without.to_dict()) == without
  with pytest.raises(config.ConfigError, match="evaluation.method: not a key"):
    cfg.without("evaluation.method")


@pytest.mark.parametrize("change, message", [
    (lambda d: d["search"].pop("population"), "missing key 'search.population'"),
    (lambda d: d.pop("seed"), "missing key 'seed'"),
    (lambda d: d["run"].update(extra=1), "unknown key 'run.extra'"),
    (lambda d: d.update(search=5), "search: expected a mapping"),
])
def test_from_dict_names_a_missing_or_unknown_key(change, message):
  plain = config.load().to_dict()
  change(plain)
  with pytest.raises(config.ConfigError, match=message.replace(".", r"\.")) as caught:
    config.Config.from_dict(plain)
  assert "\n" not in str(caught.value)


def test_a_config_is_frozen_and_its_lists_come_back_as_lists():
  cfg = config.load(None, ["mutation.ops=[add, sign]", "funnel.lr_scales=[1, 3]"])
  assert cfg.mutation.ops == ("add", "sign") and cfg.funnel.lr_scales == (1, 3)
  with pytest.raises(dataclasses.FrozenInstanceError):
    cfg.search.population = 5
  plain = cfg.to_dict()
  assert plain["mutation"]["ops"] == ["add", "sign"] and plain["funnel"]["lr_scales"] == [1, 3]
  assert "lr_scales:\n  - 1\n  - 3\n" in config.dump(cfg)  # integers stay integers


def test_a_recorded_config_keeps_the_keys_it_predates_absent(tmp_path):
  path = tmp_path / "config.yaml"
  text = config.dump(config.load())
  path.write_text("\n".join(line for line in text.splitlines()
                            if not line.strip().startswith(("lr_scaling", "finalists"))) + "\n")
  assert config.load(path).funnel.lr_scaling == "step"  # a new run takes today's default
  recorded = config.load_recorded(path, ["search.budget=50"])
  assert recorded.funnel.lr_scaling is None and recorded.meta_validation.lr_scaling is None
  assert recorded.meta_validation.finalists is None and recorded.search.budget == 50
  assert config.load_recorded(path, ["funnel.lr_scaling=lr"]).funnel.lr_scaling == "lr"
  path.write_text(text)
  assert config.load_recorded(path) == config.load(path)
