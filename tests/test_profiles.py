"""Document profiles: detection, per-profile requirements, config overrides, outline output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.config import Config, ConfigResolver
from policylint.engine import analyse
from policylint.parsers import parse


def _profile(text: str, path: str = "policy.md", **config: object) -> str:
    document = parse(text, "markdown", path)
    _, ctx = analyse(document, Config(**config))  # type: ignore[arg-type]
    return ctx.profile_name


@pytest.mark.parametrize(
    ("title", "profile"),
    [
        ("Privacy Notice", "privacy-notice"),
        ("GitHub General Privacy Statement", "privacy-notice"),
        ("California Resident Notice at Collection", "privacy-notice"),
        ("Refund policy", "returns-policy"),
        ("Returns & Exchanges", "returns-policy"),
        ("Terms of Service", "terms"),
        ("Mozilla Subscription Services | Terms of Service", "terms"),
        ("Customer Service Policy", "customer-service"),
        ("DMCA Takedown Policy", "copyright-policy"),
        ("Security overview", "other-policy"),
        ("Our promises to you", "generic"),  # no profile named: the default, which requires nothing
    ],
)
def test_profile_from_title(title: str, profile: str) -> None:
    assert _profile(f"# {title}\n\nSome text.\n") == profile


def test_front_matter_title_wins_and_config_overrides() -> None:
    text = "---\ntitle: Refund policy\n---\n# Welcome\n\nText.\n"
    assert _profile(text) == "returns-policy"
    assert _profile(text, profile="terms") == "terms"
    assert _profile("# Welcome\n\nText.\n", default_profile="privacy-notice") == "privacy-notice"


def test_profiles_by_path_glob(tmp_path: Path) -> None:
    (tmp_path / "policylint.toml").write_text(
        '[[profiles]]\npaths = ["legal/privacy*.md"]\nprofile = "privacy-notice"\n'
    )
    config = ConfigResolver().for_path(tmp_path / "legal" / "privacy-eu.md")
    assert (
        _profile("# Welcome\n\nText.\n", "legal/privacy-eu.md", profiles=config.profiles) == "privacy-notice"
    )
    assert _profile("# Welcome\n\nText.\n", "legal/notes.md", profiles=config.profiles) == "generic"


PRIVACY_NOTICE = """# Privacy Notice

Last updated: 1 November 2026

## Information we collect

We collect your name, email address and order history.

## How we use your information

We use your information to deliver orders and answer questions.

## Sharing

We share your address with the courier that delivers your order. We do not sell your data.

## Contact

Email privacy@example.com or write to 1 Main Street, Springfield.
"""


def test_privacy_notice_is_not_asked_for_a_returns_section() -> None:
    report = check_text(PRIVACY_NOTICE, config=Config(today=TODAY, select=["sections"]))
    rules = {f.rule for f in report.findings}
    assert "sections.missing-returns" not in rules and "sections.missing-complaints" not in rules
    missing = sorted(f.message for f in report.findings if f.rule == "sections.missing-part")
    assert len(missing) == 3
    assert any("how long the data is kept" in m for m in missing)
    assert any("rights" in m for m in missing)
    assert any("changes" in m for m in missing)
    assert report.files[0].profile == "privacy-notice"


def test_explicit_required_sections_override_the_profile() -> None:
    report = check_text(
        PRIVACY_NOTICE, config=Config(today=TODAY, select=["sections"], required_sections=["returns"])
    )
    assert "sections.missing-returns" in {f.rule for f in report.findings}


def test_unknown_profile_in_config_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "policylint.toml").write_text('profile = "privacy-policy"\n')
    (tmp_path / "p.md").write_text("# P\n\nText.\n")
    result = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "check", str(tmp_path / "p.md")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "privacy-policy" in result.stderr and "privacy-notice" in result.stderr


def test_outline_shows_profile_and_where_parts_were_found(tmp_path: Path) -> None:
    path = tmp_path / "privacy.md"
    path.write_text(PRIVACY_NOTICE)
    result = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "outline", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    assert data["profile"] == "privacy-notice"
    found = {r["part"]: (r["found"], r["line"]) for r in data["requires"]}
    assert found["privacy-collected"] == (True, 5)
    assert found["privacy-sharing"] == (True, 13)
    assert found["privacy-retention"] == (False, None)
    text = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "outline", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "privacy notice" in text and "not found" in text


def test_unsupported_language_is_reported_once_instead_of_noise() -> None:
    french = (
        "# Politique de confidentialité\n\n"
        + "Nous utilisons vos données pour livrer vos commandes et nous ne les vendons jamais à des tiers. "
        * 8
    )
    report = check_text(french, config=Config(today=TODAY))
    assert [f.rule for f in report.findings] == ["language.unsupported"]
    assert report.files[0].language == "und"


def test_the_document_title_is_not_a_section_of_its_own() -> None:
    """ "# Customer Service Policy" names the document; it is not a contact section, and its
    subsections do not inherit a kind from it."""
    text = "# Customer Service Policy\n\n## Returns\n\nReturn items within 30 days.\n\n## Our story\n\nWe began in 2001.\n"
    report = check_text(text, config=Config(today=TODAY, select=["sections.missing-contact"]))
    assert [f.rule for f in report.findings] == ["sections.missing-contact"]
    kinds = {s.title: s.kind for s in report.files[0].sections}
    assert kinds["Our story"] == "other"


def test_unsupported_language_note_follows_selection() -> None:
    french = (
        "# Politique\n\n"
        + "Nous utilisons vos données pour livrer vos commandes et nous ne les vendons jamais. " * 8
    )
    assert check_text(french, config=Config(ignore=["language"])).findings == []
    assert check_text(french, config=Config(select=["jargon"])).findings == []
