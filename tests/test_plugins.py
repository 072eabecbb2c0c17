"""Third-party rule kinds through the real ``policylint.rules`` entry-point group."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PLUGIN_DIR
from policylint import check_text
from policylint.checks import kind_class, plugin_kinds
from policylint.config import Config
from policylint.packs import _load_catalog_cached


def test_plugin_kind_runs_from_a_rule_pack(installed_plugin: Path) -> None:
    assert "shouting" in plugin_kinds()
    config = Config(rule_paths=[installed_plugin], select=["style.shouting"])
    report = check_text("# T\n\nWe NEVER refund.\n", config=config)
    assert [(f.rule, f.line, f.column) for f in report.findings] == [("style.shouting", 3, 4)]


def test_crashing_rule_is_isolated(installed_plugin: Path) -> None:
    config = Config(rule_paths=[installed_plugin], select=["style", "dates.vague-time"])
    report = check_text("# T\n\nWe NEVER reply promptly.\n", config=config)
    rules = sorted(f.rule for f in report.findings)
    assert rules == ["dates.vague-time", "internal.rule-error", "style.shouting"]
    crash = next(f for f in report.findings if f.rule == "internal.rule-error")
    assert "style.crash" in crash.message and "plugin bug" in crash.message


def test_unknown_kind_is_a_pack_error(tmp_path: Path) -> None:
    from policylint.errors import RulePackError

    pack = tmp_path / "pack.toml"
    pack.write_text((PLUGIN_DIR / "pack.toml").read_text())
    for cache in (plugin_kinds, kind_class, _load_catalog_cached):
        cache.cache_clear()
    with pytest.raises(RulePackError, match="unknown rule kind 'shouting'"):
        check_text("# T\n", config=Config(rule_paths=[pack], select=["style.shouting"]))
