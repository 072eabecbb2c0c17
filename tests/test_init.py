"""`policylint init`: the skeleton fails with one finding per empty section until filled in."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.config import Config
from policylint.engine import analyse, catalog_for
from policylint.errors import ConfigError
from policylint.init import INIT_PROFILES, build_skeleton, run_init
from policylint.parsers import parse

CATALOG = catalog_for(Config())


def _fill(skeleton: str) -> str:
    """What a user does: replace every guidance comment with real text (keeping the intro comment's
    place irrelevant). The text is written to satisfy the section it stands in."""
    filled = re.sub(r"<!--.*?-->", "", skeleton, flags=re.S)
    return re.sub(
        r"(## [^\n]+\n)",
        r"\1\nWe explain this here in plain words, with concrete numbers such as 14 days, "
        "and you can email help@example.com or call +1 503 555 0142 to ask us about it.\n",
        filled,
    )


@pytest.mark.parametrize("profile", INIT_PROFILES)
def test_unfilled_skeleton_reports_each_empty_section(profile: str) -> None:
    skeleton = build_skeleton(CATALOG, CATALOG.languages["en"], profile, TODAY)
    headings = re.findall(r"^## ", skeleton, flags=re.M)
    report = check_text(skeleton, config=Config(today=TODAY, select=["sections"]))
    assert [f.rule for f in report.findings] == ["sections.empty-section"] * len(headings)


@pytest.mark.parametrize("profile", INIT_PROFILES)
def test_skeleton_headings_are_recognised_and_filled_skeleton_passes(profile: str) -> None:
    skeleton = build_skeleton(CATALOG, CATALOG.languages["en"], profile, TODAY)
    _, ctx = analyse(parse(skeleton, "markdown"), Config())
    assert ctx.profile_name == profile
    report = check_text(
        _fill(skeleton), config=Config(today=TODAY, select=["sections", "dates.missing-effective-date"])
    )
    assert report.findings == []


def test_cli_writes_files_and_keeps_existing_ones(tmp_path: Path) -> None:
    cmd = [
        sys.executable,
        "-m",
        "policylint.cli",
        "init",
        "--profile",
        "privacy-notice",
        "--dir",
        str(tmp_path),
    ]
    first = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "wrote" in first.stdout and (tmp_path / "privacy-notice.md").is_file()
    (tmp_path / "privacy-notice.md").write_text("# My own\n")
    second = subprocess.run(cmd, capture_output=True, text=True, check=True)
    assert "kept" in second.stdout and (tmp_path / "privacy-notice.md").read_text() == "# My own\n"
    fresh = tmp_path.parent / f"{tmp_path.name}-fresh" / "new"  # under no config of its own
    run = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "init", "--dir", str(fresh)],
        capture_output=True,
        text=True,
    )
    result = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "check", str(fresh / "customer-service.md")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and result.returncode == 1, result.stdout + result.stderr
    assert "sections.empty-section" in result.stdout


def test_unknown_language_or_profile_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="allowed codes: da, de, en"):
        run_init(tmp_path, CATALOG, "customer-service", "xx", dt.date(2026, 1, 1))
    with pytest.raises(ConfigError, match="unknown profile"):
        run_init(tmp_path, CATALOG, "cookie-policy", "en", dt.date(2026, 1, 1))
