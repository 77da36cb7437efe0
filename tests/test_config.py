"""Configuration: defaults, strict keys and types, overrides, budgets, safe YAML."""

import pytest

from discover import config


def test_default_is_valid_and_commented():
  loaded = config.load()
  assert loaded == config.DEFAULTS
  for line in config.DEFAULT_YAML.splitlines():
    if ":" in line and not line.rstrip().endswith(":"):
      assert "#" in line, f"uncommented default: {line}"


def test_file_and_overrides_merge_in_order(tmp_path):
  path = tmp_path / "c.yaml"
  path.write_text("search:\n  population: 50\nevaluation:\n  tasks: [logistic, quadratic]\n")
  loaded = config.load(path, ["search.population=20", "mutation.insert=0.5", "seed=3"])
  assert loaded["search"]["population"] == 20 and loaded["mutation"]["insert"] == 0.5
  assert loaded["evaluation"]["tasks"] == ["logistic", "quadratic"] and loaded["seed"] == 3
  assert loaded["search"]["tournament"] == config.DEFAULTS["search"]["tournament"]


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
