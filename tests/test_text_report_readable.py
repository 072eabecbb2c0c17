"""The text and HTML reports read as a person reads: excerpts without markup, findings about
the whole document under one heading, repeats of one finding folded into one entry. The
machine formats keep every finding with its own location."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES
from policylint.cli import main

PRIVACY = EXAMPLES / "needs-work" / "privacy-notice.html"
TODAY = "2026-12-06"


def _check(*args: str) -> str:
    out = io.StringIO()
    main(["check", *args, "--no-cache", "--today", TODAY], out=out)
    return out.getvalue()


def _findings(path: Path) -> list[dict[str, object]]:
    data = json.loads(_check(str(path), "--format", "json"))
    findings: list[dict[str, object]] = data["findings"]
    return findings


def test_text_excerpts_show_the_words_not_the_html() -> None:
    text = _check(str(PRIVACY), "--format", "text")
    assert "<h1>" not in text and "</p>" not in text and "<p>" not in text
    assert (
        "\n    Prior to processing, we shall ascertain the validity of the information furnished.\n" in text
    )
    # Positions are those of the source file, as before.
    vague = [f for f in _findings(PRIVACY) if f["rule"] == "dates.vague-time"]
    assert [(f["line"], f["column"]) for f in vague] == [(23, 73)]
    assert "23:73  warning  Vague time" in text


def test_markdown_markup_is_left_out_of_the_excerpt(tmp_path: Path) -> None:
    policy = tmp_path / "terms.md"
    policy.write_text(
        "# Terms\n\n"
        'We **shall** refund you. See [our *returns* page](https://example.com/returns "Returns") '
        "for details &amp; forms.\n",
        encoding="utf-8",
    )
    text = _check(str(policy), "--format", "text", "--select", "jargon.legalese")
    assert "\n    We shall refund you. See our returns page for details & forms.\n" in text
    assert "**" not in text and "](" not in text
    assert "3:6  warning" in text  # the raw column of "shall" (after the two asterisks)


def test_html_report_excerpts_leave_out_tags() -> None:
    page = _check(str(PRIVACY), "--format", "html")
    excerpts = re.findall(r'<pre class="excerpt"><code>(.*?)</code></pre>', page)
    assert excerpts
    assert not [e for e in excerpts if "&lt;" in e]
    assert any("<mark>in due course</mark>." in e for e in excerpts)


def test_document_findings_are_grouped_under_one_heading() -> None:
    text = _check(str(PRIVACY), "--format", "text")
    assert "  Document: 6 findings  (reported at 11:7)\n" in text
    assert "11:7  warning" not in text  # not six rows stacked on the title
    assert text.count("[sections.missing-part]") == 5
    at_title = [f for f in _findings(PRIVACY) if (f["line"], f["column"]) == (11, 7)]
    assert len(at_title) == 6  # the machine formats keep each one where it was


def _repeated(tmp_path: Path) -> Path:
    policy = tmp_path / "repeats.md"
    paragraphs = "\n\n".join(f"Rule {n}: the customer shall keep the receipt." for n in range(40))
    policy.write_text(
        f"# Returns\n\nYou can return items within 30 days.\n\n{paragraphs}\n", encoding="utf-8"
    )
    return policy


def test_repeats_are_folded_in_text_with_their_lines(tmp_path: Path) -> None:
    policy = _repeated(tmp_path)
    text = _check(str(policy), "--format", "text", "--select", "jargon.legalese")
    assert text.count("[jargon.legalese]") == 1
    assert "and 39 more in this file, on lines 7, 9, 11," in text
    assert ", 83\n" in text  # the last repeat's line
    assert "0 errors, 40 warnings" in text  # the summary still counts every finding


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "junit", "gitlab"])
def test_machine_formats_keep_every_repeat(tmp_path: Path, fmt: str) -> None:
    policy = _repeated(tmp_path)
    output = _check(str(policy), "--format", fmt, "--select", "jargon.legalese")
    assert output.count("jargon.legalese") >= 40
    found = r'(?:"line"|"startLine"|\bline=|"begin")\s*:?\s*"?(\d+)|repeats\.md:(\d+)'
    lines = {int(a or b) for a, b in re.findall(found, output)}
    assert {5 + 2 * n for n in range(40)} <= lines, fmt


def test_timings_include_writing_the_report(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policylint.cli",
            "check",
            str(PRIVACY),
            "--no-cache",
            "--today",
            TODAY,
            "--timings",
            "-o",
            str(tmp_path / "out.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert re.search(r"^  report +\d+\.\d{3}  \(building and writing the output", result.stderr, re.MULTILINE)
    assert "Document: 6 findings" in (tmp_path / "out.txt").read_text(encoding="utf-8")
