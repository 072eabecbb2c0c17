"""The text reporter's plain fast path prints exactly what rich prints in a pipe.

In a pipe or a CI log the reporter writes rows directly instead of through rich's render
pipeline (15 % of a 62k-word run). These tests render the same reports both ways, with text
chosen to hit what rich changes (tabs, control characters, markup and emoji look-alikes, wide
characters, long lines) and hold the two to the same bytes.
"""

from __future__ import annotations

import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.findings import FileReport, Finding, Report, Severity
from policylint.reporters import RenderOptions
from policylint.reporters.text import render

HOSTILE = [
    "plain words",
    "a\ttab and\t\ttwo",
    "bell\x07 backspace\x08 vertical\x0b formfeed\x0c return\r end",
    "[bold]not markup[/bold] and [link=x]y[/link]",
    ":smile: :thumbs_up: emoji codes",
    "宽字符 and emoji 🙂 wide",
    "x" * 300,
    "trailing spaces   ",
    "escape \x1b[31m red \x1b[0m",
    "",
]


def _report(message: str, source_line: str, suggestion: str | None) -> tuple[Report, RenderOptions]:
    findings = [
        Finding(
            rule="jargon.legalese",
            severity=severity,
            message=message,
            path=path,
            line=1,
            column=1,
            end_line=1,
            end_column=min(5, len(source_line) + 1),
            suggestion=suggestion,
        )
        for path in ("a\tpath.md", "b.md")
        for severity in Severity
    ]
    report = Report(files=[FileReport(path="a\tpath.md", format="markdown")], findings=findings)
    report.finalize()
    options = RenderOptions(source_of=lambda _path: source_line + "\nsecond line\n")
    return report, options


def _both(report: Report, options: RenderOptions) -> tuple[str, str]:
    fast, slow = io.StringIO(), io.StringIO()
    render(report, fast, options, plain_fast_path=True)
    render(report, slow, options, plain_fast_path=False)
    return fast.getvalue(), slow.getvalue()


@pytest.mark.parametrize("text", HOSTILE)
def test_fast_path_matches_rich_on_hostile_text(text: str) -> None:
    report, options = _report(f"message: {text}", f"source {text}", f"use {text}")
    fast, slow = _both(report, options)
    assert fast == slow
    assert "jargon.legalese" in fast  # the rows are really there


@settings(max_examples=60, deadline=None)
@given(
    message=st.text(max_size=60),
    line=st.text(
        alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\n\r"), max_size=80
    ),
)
def test_fast_path_matches_rich_on_any_text(message: str, line: str) -> None:
    report, options = _report(message, line, message or None)
    fast, slow = _both(report, options)
    assert fast == slow


def test_no_findings_summary_is_the_same() -> None:
    report = Report(files=[FileReport(path="ok.md", format="markdown")])
    report.finalize()
    fast, slow = _both(report, RenderOptions())
    assert fast == slow == "✓ 1 file checked, no findings\n"


def test_a_terminal_still_gets_rich_styles() -> None:
    report, options = _report("styled", "source line", None)
    options.color = True
    out = io.StringIO()
    render(report, out, options)
    assert "\x1b[" in out.getvalue()  # the fast path is only for plain output


@pytest.mark.parametrize(
    "text", [t for t in HOSTILE if "\x1b" not in t]
)  # an escape in the text is not a style
def test_terminal_output_has_the_same_words_as_plain_output(text: str) -> None:
    """A terminal gets ANSI styles written directly (rich rendered row by row took a minute for
    250,000 findings); without the escape codes it reads exactly as the plain output."""
    report, options = _report(f"message: {text}", f"source {text}", f"use {text}")
    plain = io.StringIO()
    render(report, plain, options)
    options.color = True
    styled = io.StringIO()
    render(report, styled, options)
    assert "\x1b[" in styled.getvalue()
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled.getvalue()) == plain.getvalue()
