"""A .docx and an .odt written by a real office suite (LibreOffice, see tests/data/libreoffice/)
give the same rule ids as the HTML they were converted from: the office reader copes with what an
office suite writes, not only with what python-docx and odfpy write in tests/test_office.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policylint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SUITE = ROOT / "tests" / "data" / "libreoffice"
ORIGINAL = ROOT / "examples" / "needs-work" / "privacy-notice.html"


def _rule_ids(path: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    main(["check", str(path), "--format", "json", "--no-cache", "--today", "2026-12-06", "--exit-zero"])
    return {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}


@pytest.mark.parametrize("name", ["privacy-notice.docx", "privacy-notice.odt"])
def test_a_file_an_office_suite_wrote_gives_the_originals_rule_ids(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("docx" if name.endswith(".docx") else "odf", reason="needs the office extra")
    original = _rule_ids(ORIGINAL, capsys)
    converted = _rule_ids(SUITE / name, capsys)
    assert "io.unreadable" not in converted and "io.parse-error" not in converted
    assert converted == original
