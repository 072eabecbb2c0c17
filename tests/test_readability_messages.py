"""Readability findings speak the reader's language, and the two grade limits agree."""

from __future__ import annotations

import io
import json

import pytest

from conftest import ROOT
from policylint.cli import main
from policylint.config import Config
from policylint.engine import catalog_for
from policylint.readability import METRIC_LABELS

LANG = ROOT / "tests" / "fixtures" / "lang"
CATALOG = catalog_for(Config())


def _check_json(*args: str) -> dict[str, object]:
    out = io.StringIO()
    main(["check", *args, "--format", "json", "--no-cache", "--today", "2026-12-06"], out=out)
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def _readability_messages(path: str) -> list[str]:
    findings = _check_json(path)["findings"]
    assert isinstance(findings, list)
    return [f["message"] for f in findings if f["rule"].startswith("readability.") and "grade" in f["rule"]]


@pytest.mark.parametrize("lang", ["da", "nb", "et", "hr", "de"])
def test_messages_name_the_metric_in_the_pack_language(lang: str) -> None:
    pack = CATALOG.languages[lang]
    assert pack.readability.name, f"{lang}.toml gives the metric no name"
    messages = _readability_messages(str(LANG / f"{lang}-formal.md"))
    assert messages, f"{lang}-formal.md has no readability finding"
    for message in messages:
        assert pack.readability.name in message
        assert pack.readability.metric not in message  # the id (lix, wiener-sachtextformel)
        assert "((" not in message and "))" not in message  # the name reads in the sentence


def test_english_message_says_reading_grade(tmp_path: object) -> None:
    spec = CATALOG.rules["readability.document-grade"]
    path = tmp_path / "bad.md"  # type: ignore[operator]
    path.write_text(spec.example.bad, encoding="utf-8")
    messages = _readability_messages(str(path))
    assert messages
    for message in messages:
        assert "reading grade (Flesch–Kincaid)" in message
        assert "flesch-kincaid-grade" not in message


def test_every_known_metric_has_a_label() -> None:
    from policylint.readability import METRICS

    assert set(METRIC_LABELS) == set(METRICS)
    assert all("-" not in label.split("(")[0] for label in METRIC_LABELS.values())


def _limit(rule: str, lang: str) -> float:
    spec = CATALOG.rules[rule]
    pack = CATALOG.languages[lang]
    limits = {**spec.params.get("limits", {}), **pack.rules.get(rule, {}).get("limits", {})}
    return float(limits.get(pack.readability.metric, spec.params["max_grade"]))


@pytest.mark.parametrize("lang", sorted(CATALOG.languages))
def test_document_limit_is_not_stricter_than_the_section_limit(lang: str) -> None:
    """A policy over the document limit should have a section over the section limit to point
    at; a stricter document limit warned about policies with no section flagged."""
    document = _limit("readability.document-grade", lang)
    section = _limit("readability.section-grade", lang)
    assert document >= section, (lang, document, section)


def test_explain_says_why_the_limits_agree() -> None:
    out = io.StringIO()
    assert main(["explain", "readability.document-grade"], out=out) == 0
    assert "same as for one section" in out.getvalue()
