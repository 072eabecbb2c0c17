"""Property-based tests: random text, Markdown and HTML never break policylint.

For every generated document, in every format:

* no exception escapes :func:`policylint.check_text`, and no finding says a rule crashed or a
  parser gave up (``internal.*``, ``io.parse-error``): parsers are meant to survive anything;
* every finding's span lies inside the file: 1 <= line <= number of lines, the columns within
  the line (or one past its end), and the end not before the start;
* the findings do not depend on the line-ending style: the LF, CRLF and CR versions of the same
  document give the same number of findings (and in fact the same rules at the same places).

CI runs a bounded number of examples in English. ``POLICYLINT_FUZZ_EXAMPLES=5000`` runs a longer
session and ``POLICYLINT_FUZZ_LANGUAGE=auto`` lets language detection pick (see docs/fuzzing.md);
Hypothesis prints the smallest failing document and the decorator to replay it.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import TODAY
from policylint import check_text
from policylint.config import Config
from policylint.findings import Finding, Report

EXAMPLES = int(os.environ.get("POLICYLINT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # the first example pays for loading spaCy
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
    # CI runs the same examples every time (a hole a random run finds is a finding for a session
    # to fix, not a red build for an unrelated change); sessions explore new ones.
    derandomize=bool(os.environ.get("CI")),
)
# English by default: detecting other languages loads their spaCy tables (seconds each), which a
# long session can afford (POLICYLINT_FUZZ_LANGUAGE=auto) and CI cannot.
_LANGUAGE = os.environ.get("POLICYLINT_FUZZ_LANGUAGE", "en")
CONFIG = Config(today=TODAY, language=None if _LANGUAGE == "auto" else _LANGUAGE)
_LINE_BREAK = re.compile(r"\r\n?|\n")

# Words and phrases that make rules fire, and characters that stress parsers and position maps.
WORDS = [
    "We",
    "reply",
    "promptly",
    "within",
    "14",
    "days",
    "business",
    "commence",
    "hereinafter",
    "pursuant",
    "to",
    "utilize",
    "newsletter",
    "unsubscribe",
    "privacy",
    "returns",
    "refund",
    "contact",
    "complaints",
    "email",
    "us",
    "at",
    "help@example.com",
    "https://example.com/a(b)",
    "www.example.com",
    "03/04/2025",
    "Effective",
    "date:",
    "1",
    "January",
    "2025",
    "health",
    "medical",
    "records",
    "HIPAA",
    "from time to time",
    "as soon as possible",
    "call",
    "+1 503 555 0142",
    "Monday",
    "to",
    "Friday",
    "123 Main Street",
    "Springfield, IL 62701",
    "café",
    "Zürich",
    "naïve",
    "日本語",
    "😀",
    "e\u0301",
    "\u00a0",
    "\u200b",
    "\u2028",
    "\t",
    "\f",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "…",
    "“",
    "”",
    "'",
    '"',
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "-",
    "—",
]
TEXT_WORDS = st.lists(st.sampled_from(WORDS), max_size=25).map(" ".join)

MARKDOWN_PREFIXES = [
    "",
    "",
    "",
    "# ",
    "## ",
    "### ",
    "> ",
    ">> ",
    "- ",
    "* ",
    "1. ",
    "2) ",
    "    ",
    "  - ",
    "| ",
]
MARKDOWN_INLINE = [
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "~~",
    "\\",
    "[",
    "](",
    "](https://example.com)",
    "<",
    ">",
    "&amp;",
    "&#x27;",
    "&#",
    "&bogus;",
    "&nbsp;",
    "<b>",
    "</b>",
    "<br>",
    "{: #id }",
    "{#x}",
    "![img](x.png)",
    "<!-- policylint-disable-next-line dates.vague-time -->",
    "<!--",
    "-->",
    "|",
    ":---",
]
MARKDOWN_LINES = [
    "",
    "---",
    "===",
    "```",
    "~~~",
    "| a | b |",
    "|---|---|",
    "<div>",
    "</div>",
    "<!--",
    "-->",
    "***",
    "<!-- policylint-disable dates -->",
    "<!-- policylint-enable dates -->",
    "title: Policy",
    "lang: en",
]

HTML_TAGS = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "ul",
    "ol",
    "li",
    "table",
    "tr",
    "td",
    "th",
    "b",
    "i",
    "a",
    "code",
    "pre",
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "span",
    "blockquote",
    "br",
    "hr",
    "title",
    "head",
    "body",
    "html",
    "noscript",
    "template",
    "svg",
    "dl",
    "dt",
    "dd",
    "section",
    "main",
    "button",
]
HTML_ATTRS = [
    "",
    ' class="x"',
    " hidden",
    ' aria-hidden="true"',
    ' role="heading" aria-level="3"',
    ' lang="en-GB"',
    ' href="mailto:help@example.com"',
    ' title="a > b"',
    " data-x='1'",
    " id=x",
]


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    """Markdown-shaped documents: block prefixes, inline markup, front matter, HTML, directives."""
    lines = []
    if draw(st.booleans()):
        lines += ["---", "title: Policy", "---"]
    for _ in range(draw(st.integers(0, 14))):
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(MARKDOWN_LINES)))
            continue
        prefix = "".join(draw(st.lists(st.sampled_from(MARKDOWN_PREFIXES), max_size=3)))
        pieces = draw(st.lists(st.one_of(TEXT_WORDS, st.sampled_from(MARKDOWN_INLINE)), max_size=8))
        lines.append(prefix + "".join(pieces))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    """Tag soup: random start and end tags (often unbalanced), attributes, entities, comments."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.integers(0, 9))
        tag = draw(st.sampled_from(HTML_TAGS))
        if kind <= 2:
            parts.append(f"<{tag}{draw(st.sampled_from(HTML_ATTRS))}>")
        elif kind <= 4:
            parts.append(f"</{tag}>")
        elif kind == 5:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "&amp;",
                            "&nbsp;",
                            "&#8212;",
                            "&#x2019;",
                            "&#",
                            "&#;",
                            "&bogus;",
                            "&amp",
                            "<!-- policylint-disable-next-line dates.vague-time -->",
                            "<!--",
                            "-->",
                            "<!DOCTYPE html>",
                            "<![CDATA[x]]>",
                            "<?xml?>",
                            "<",
                            ">",
                            "</",
                            "<p/>",
                            "\n",
                        ]
                    )
                )
            )
        else:
            parts.append(draw(TEXT_WORDS))
        if draw(st.integers(0, 6)) == 0:
            parts.append("\n")
    return "".join(parts)


@st.composite
def text_documents(draw: st.DrawFn) -> str:
    """Plain text: headings of every kind people type, lists, rules, directives, blank lines."""
    shapes = [
        "{w}",
        "{w}",
        "{w}",
        "",
        "",
        "1. {w}",
        "3.6 {w}",
        "Section 2 - {w}",
        "A. {w}",
        "(a) {w}",
        "- {w}",
        "• {w}",
        "PRIVACY POLICY",
        "How to Contact Us",
        "===",
        "---",
        "***",
        "# policylint-disable-next-line dates",
        "  {w}",
        "\f{w}",
    ]
    lines = [
        draw(st.sampled_from(shapes)).format(w=draw(TEXT_WORDS)) for _ in range(draw(st.integers(0, 20)))
    ]
    return "\n".join(lines)


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


def _assert_spans_inside(source: str, findings: Sequence[Finding]) -> None:
    lines = _LINE_BREAK.split(source)
    for f in findings:
        where = f"{f.rule} at {f.line}:{f.column}-{f.end_line}:{f.end_column}"
        assert 1 <= f.line <= len(lines), where
        assert 1 <= f.column <= len(lines[f.line - 1]) + 1, where
        assert f.line <= f.end_line <= len(lines), where
        assert (f.end_line, f.end_column) >= (f.line, f.column), where
        # A zero-width place (an empty document, the very end of a line) is widened by one column.
        assert f.end_column <= len(lines[f.end_line - 1]) + 1 or (
            f.end_line == f.line and f.end_column == f.column + 1
        ), where


def _check(source: str, fmt: str) -> Report:
    report = check_text(source, fmt, CONFIG)
    broken = [f"{f.rule}: {f.message}" for f in report.findings if f.rule.startswith(("internal.", "io."))]
    assert not broken, broken
    _assert_spans_inside(source, report.findings)
    return report


def _places(report: Report) -> list[tuple[str, int, int, int, int]]:
    return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in report.findings]


def _line_endings_do_not_matter(source: str, fmt: str) -> None:
    lf = _check(source, fmt)
    for newline in ("\r\n", "\r"):
        other = _check(source.replace("\n", newline), fmt)
        assert len(other.findings) == len(lf.findings), (repr(newline), _places(lf), _places(other))
        assert _places(other) == _places(lf), repr(newline)


@FUZZ
@given(markdown_documents())
def test_markdown(source: str) -> None:
    _line_endings_do_not_matter(source, "markdown")


@FUZZ
@given(html_documents())
def test_html(source: str) -> None:
    _line_endings_do_not_matter(source, "html")


@FUZZ
@given(text_documents())
def test_text(source: str) -> None:
    _line_endings_do_not_matter(source, "text")


@FUZZ
@given(ANY_TEXT, st.sampled_from(["markdown", "html", "text"]))
def test_arbitrary_unicode(source: str, fmt: str) -> None:
    """Anything at all, including NUL, lone CRs, control and combining characters."""
    _check(source, fmt)


REGEX_ATOMS = st.sampled_from(["a", "b", ".", r"\w", r"\s", "[ab]", "[^b]", r"\d", " ", "a?", "(?:ab)"])
REGEX_QUANTIFIERS = st.sampled_from(["*", "+", "?", "{1,3}", "{2}", "{0,5}", "{2,}"])
REGEXES = st.recursive(
    REGEX_ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, REGEX_QUANTIFIERS).map(lambda t: f"(?:{t[0]}){t[1]}"),
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map(lambda t: f"(?:{t[0]}|{t[1]})"),
    ),
    max_leaves=12,
)


class _TooSlow(BaseException):
    """Raised from a timer signal inside ``re`` (which checks for signals while it backtracks)."""


def _raise_too_slow(signum: int, frame: object) -> None:
    raise _TooSlow


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs POSIX interval timers")
@FUZZ
@given(REGEXES, st.sampled_from(["a", "ab", "a ", "1", "aab", " a", "a1"]))
def test_patterns_redos_check_accepts_never_backtrack_exponentially(pattern: str, unit: str) -> None:
    """Whatever tests/redos_check.py accepts (it vouches for the built-in packs' patterns, which
    run on ``re``) matches 100 hostile characters in well under two seconds; the shapes it
    refuses would take centuries. (Polynomial patterns such as ``.*a.*`` are accepted.)
    Sessions found ``(?:[ab]{0,5}){0,5}``, ``((a|a){2})*`` and ``(a|aa)*`` slipping through."""
    from redos_check import UnsafePatternError, check_pattern

    try:
        compiled = check_pattern(pattern)
    except UnsafePatternError:
        return
    text = unit * 100 + "!"
    previous = signal.signal(signal.SIGALRM, _raise_too_slow)
    signal.setitimer(signal.ITIMER_REAL, 2.0)
    try:
        compiled.match(text)
        compiled.fullmatch(text)
    except _TooSlow:
        pytest.fail(f"{pattern!r} backtracks exponentially on {unit!r} * 100 + '!'")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_known_edge_cases(fmt: str) -> None:
    """Inputs earlier fuzzing sessions found or that are easy to get wrong; kept as regressions."""
    for source in ["", "\n", "\r", "\r\n\r\n", "\x00", "\ufeff", "# ", "<", "&", "\u2028x", "a\rb\nc\r\nd"]:
        _check(source, fmt)
