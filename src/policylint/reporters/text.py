"""``--format text``: a readable terminal report, grouped by file, with the offending text shown.

Uses rich for colour and layout; in a pipe or with ``NO_COLOR`` set it prints plain text, so the
same output works in CI logs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import groupby
from typing import TextIO

from rich.console import Console
from rich.text import Text

from ..findings import Finding, Report, Severity
from . import RenderOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _source_lines(options: RenderOptions, path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        text = options.source_of(path)
        cache[path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text is not None else None
    return cache[path]


def _excerpt(finding: Finding, lines: list[str] | None) -> Text | None:
    if not lines or finding.line > len(lines):
        return None
    line = lines[finding.line - 1].expandtabs(1)
    if not line.strip():
        return None
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    # Long lines are cut around the span so the excerpt stays one screen line.
    window = 100
    lo = max(0, start - 30)
    hi = min(len(line), max(end, start + 1) + 30)
    if hi - lo > window:
        hi = lo + window
    text = Text("    ")
    text.append("…" if lo > 0 else "")
    text.append(line[lo:start])
    text.append(line[start : min(end, hi)], style="bold underline")
    text.append(line[min(end, hi) : hi])
    text.append("…" if hi < len(line) else "")
    return text


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _rows(report: Report, options: RenderOptions) -> Iterator[tuple[Text, str | None]]:
    """The report line by line, each with the base style it is printed in."""
    cache: dict[str, list[str] | None] = {}
    for path, group in groupby(report.findings, key=lambda f: f.path):
        findings = list(group)
        yield Text(path, style="bold underline"), None
        lines = _source_lines(options, path, cache)
        for finding in findings:
            head = Text("  ")
            head.append(f"{finding.line}:{finding.column}", style="dim")
            head.append("  ")
            head.append(finding.severity.value, style=_STYLE[finding.severity])
            head.append("  ")
            head.append(finding.message)
            head.append(f"  [{finding.rule}]", style="dim")
            yield head, None
            excerpt = _excerpt(finding, lines)
            if excerpt is not None:
                yield excerpt, "dim" if finding.severity is Severity.INFO else None
            if finding.suggestion:
                yield Text(f"    suggestion: {finding.suggestion}", style="green"), None
        yield Text(), None
    if options.statistics and report.findings:
        counts = Counter(f.rule for f in report.findings)
        yield Text("Findings per rule", style="bold"), None
        for rule, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            yield Text(f"  {count:5d}  {rule}"), None
        yield Text(), None
    yield _summary(report), None


def _summary(report: Report) -> Text:
    s = report.summary
    summary = Text()
    files_word = "file" if s.files == 1 else "files"
    if not report.findings:
        summary.append(f"✓ {s.files} {files_word} checked, no findings", style="bold green")
    else:
        summary.append(f"{s.files} {files_word} checked: ", style="bold")
        summary.append(_plural(s.error, "error"), style=_STYLE[Severity.ERROR] if s.error else "dim")
        summary.append(", ")
        summary.append(_plural(s.warning, "warning"), style=_STYLE[Severity.WARNING] if s.warning else "dim")
        summary.append(", ")
        summary.append(f"{s.info} info", style=_STYLE[Severity.INFO] if s.info else "dim")
    return summary


def _plain(row: Text) -> str:
    """What rich prints for a row when it emits no styles (soft wrap: tabs expanded, no wrapping)."""
    if "\t" in row.plain:
        row = row.copy()
        row.expand_tabs(8)
    return row.plain


def render(report: Report, out: TextIO, options: RenderOptions, *, plain_fast_path: bool = True) -> None:
    console = Console(
        file=out,
        force_terminal=options.color if options.color else None,
        no_color=options.color is False,
        highlight=False,
        soft_wrap=True,
        width=options.width or 120,
    )
    if plain_fast_path and console.color_system is None and not console.legacy_windows:
        # In a pipe or a CI log rich emits the rows' plain text; printing row by row through its
        # render pipeline took 15 % of a whole 62k-word run (1,221 findings), so write it directly.
        # tests/test_reporters_text.py holds this path to what rich prints, on hostile text.
        out.write("".join(_plain(row) + "\n" for row, _style in _rows(report, options)))
        return
    for row, style in _rows(report, options):
        console.print(row, style=style)
