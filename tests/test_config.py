from __future__ import annotations

from pathlib import Path

import pytest

from policylint.config import Config, ConfigResolver, config_from_mapping, load_config_file
from policylint.errors import ConfigError
from policylint.findings import Severity
from policylint.packs import RuleSpec
from policylint.selection import is_selected, severity_for


def _spec(rule_id: str, enabled: bool = True) -> RuleSpec:
    return RuleSpec(
        id=rule_id,
        kind="phrase",
        severity=Severity.WARNING,
        summary="s",
        message="m",
        rationale="r",
        source="s",
        example={"bad": "b", "good": "g"},
        enabled=enabled,
    )


def test_unknown_key_names_file_key_and_known_keys(tmp_path: Path) -> None:
    path = tmp_path / "policylint.toml"
    path.write_text('selct = ["jargon"]\n')
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    message = str(info.value)
    assert str(path) in message and "selct" in message and "select" in message


def test_bad_value_names_key_and_allowed_values(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.policylint]\nfail_on = "sometimes"\n')
    with pytest.raises(ConfigError) as info:
        load_config_file(path)
    assert "tool.policylint.fail_on" in str(info.value) and "'error'" in str(info.value)


def test_unknown_section_kind_is_rejected() -> None:
    with pytest.raises(ConfigError, match="unknown section kind"):
        config_from_mapping({"required_sections": ["privacy", "refunds"]})


def test_pyproject_without_table_is_skipped_and_search_walks_up(tmp_path: Path) -> None:
    (tmp_path / "policylint.toml").write_text("stale_after_months = 6\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    config = ConfigResolver().for_path(nested / "policy.md")
    assert config.stale_after_months == 6


def test_command_line_overrides_win(tmp_path: Path) -> None:
    (tmp_path / "policylint.toml").write_text('fail_on = "warning"\nignore = ["jargon"]\n')
    config = ConfigResolver(overrides={"fail_on": "info"}).for_path(tmp_path / "p.md")
    assert config.fail_on == "info" and config.ignore == ["jargon"]


def test_selection_most_specific_pattern_wins() -> None:
    spec = _spec("jargon.legalese")
    assert is_selected(spec, Config())
    assert not is_selected(spec, Config(ignore=["jargon"]))
    assert is_selected(spec, Config(ignore=["jargon"], select=["jargon.legalese"]))
    assert not is_selected(spec, Config(select=["dates"]))
    assert is_selected(spec, Config(select=["dates"], extend_select=["jargon.*"]))
    assert not is_selected(_spec("x.opt-in", enabled=False), Config())
    assert is_selected(_spec("x.opt-in", enabled=False), Config(select=["x.opt-in"]))


def test_severity_override_most_specific_wins() -> None:
    spec = _spec("jargon.legalese")
    config = Config(severity={"jargon": Severity.INFO, "jargon.legalese": Severity.ERROR})
    assert severity_for(spec, config) is Severity.ERROR
    assert severity_for(_spec("jargon.wordy"), config) is Severity.INFO
