"""``--format text``: a readable terminal report, grouped by file, with the offending text shown.

Uses rich for colour and layout; in a pipe or with ``NO_COLOR`` set it prints plain text, so the
same output works in CI logs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby
from typing import NamedTuple, TextIO

from rich.console import COLOR_SYSTEMS, Console
from rich.control import STRIP_CONTROL_CODES
from rich.style import Style
from rich.text import Text

from ..findings import Finding, Report, Severity
from . import RenderOptions
from .excerpt import cut

#: Characters rich changes in plain output: the control codes it strips, and tabs it expands.
_REWRITTEN_BY_RICH = re.compile("[" + re.escape("".join(map(chr, STRIP_CONTROL_CODES))) + "\t]")

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _source_lines(options: RenderOptions, path: str, cache: dict[str, list[str] | None]) -> list[str] | None:
    if path not in cache:
        text = options.source_of(path)
        cache[path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text is not None else None
    return cache[path]


#: One piece of a row: its text and its rich style ("" for none).
Segment = tuple[str, str]


class Row(NamedTuple):
    """One report line as styled pieces. Built once and printed either through rich (a terminal)
    or joined as plain text (a pipe), so both paths print the same words."""

    segments: tuple[Segment, ...]
    style: str = ""  # the whole line's base style
    print_style: str | None = None  # what console.print adds (INFO excerpts are dimmed)

    def text(self) -> Text:
        text = Text(style=self.style)
        for piece, style in self.segments:
            text.append(piece, style=style or None)
        if self.print_style:
            text.stylize(self.print_style)
        return text

    def joined(self) -> str:
        return "".join([piece for piece, _style in self.segments])

    def plain(self) -> str:
        """What rich prints for this row when it emits no styles (soft wrap: control codes
        stripped, tabs expanded, no wrapping)."""
        joined = self.joined()
        if _REWRITTEN_BY_RICH.search(joined) is None:
            return joined
        text = self.text()  # rich drops the control codes
        text.expand_tabs(8)
        return text.plain


#: Excerpts of long source lines are cut around the span to this many characters.
EXCERPT_WINDOW = 100
#: Repeats of one finding listed by line number after the first: at most this many line ranges.
MAX_REPEAT_RANGES = 60


def _excerpt(finding: Finding, lines: list[str] | None, fmt: str) -> tuple[Segment, ...] | None:
    if not lines or finding.line > len(lines):
        return None
    line = lines[finding.line - 1].expandtabs(1)
    start = finding.column - 1
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    shown = cut(line, fmt, start, end, before=30, window=EXCERPT_WINDOW)
    if shown is None:
        return None
    return (
        ("    ", ""),
        (shown.lead, ""),
        (shown.before, ""),
        (shown.marked, "bold underline"),
        (shown.after, ""),
        (shown.trail, ""),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _line_ranges(lines: list[int]) -> str:
    """Sorted line numbers, compactly: "12, 15, 20–24, 31"."""
    ranges: list[str] = []
    unique = sorted(set(lines))
    index = 0
    while index < len(unique) and len(ranges) < MAX_REPEAT_RANGES:
        first = last = unique[index]
        while index + 1 < len(unique) and unique[index + 1] == last + 1:
            index += 1
            last = unique[index]
        ranges.append(str(first) if first == last else f"{first}–{last}")
        index += 1
    rest = len(unique) - index
    return ", ".join(ranges) + (f" and {_plural(rest, 'more line')}" if rest else "")


def _repeat_key(finding: Finding) -> tuple[str, str, str]:
    """Findings that say the same thing: the same rule and message (case aside: “Shall” and
    “shall” are one word) and the same suggestion."""
    return (finding.rule, finding.message.casefold(), (finding.suggestion or "").casefold())


def _is_document_level(finding: Finding, title_line: int | None) -> bool:
    """A finding about the whole document: rules without a place point at the title (the first
    heading) and name no section, while a finding inside the title names the title's section."""
    return title_line is not None and finding.section is None and finding.line == title_line


#: The severity as printed, with its style (looked up once: Enum attribute access is slow).
_SEVERITY_SEGMENT = {severity: (severity.value, _STYLE[severity]) for severity in Severity}


def _finding_row(finding: Finding, indent: str = "  ", where: bool = True) -> Row:
    return Row(
        (
            (indent, ""),
            (f"{finding.line}:{finding.column}  " if where else "", "dim"),
            _SEVERITY_SEGMENT[finding.severity],
            ("  ", ""),
            (finding.message, ""),
            (f"  [{finding.rule}]", "dim"),
        )
    )


def _file_rows(
    findings: list[Finding], lines: list[str] | None, fmt: str, title_line: int | None
) -> Iterator[Row]:
    """One file's findings: those about the whole document under one heading, each repeated
    finding once with the lines of its repeats (machine formats keep every finding)."""
    document = [f for f in findings if _is_document_level(f, title_line)]
    if document:
        first = document[0]
        yield Row(
            (
                ("  ", ""),
                (f"Document: {_plural(len(document), 'finding')}", "bold"),
                (f"  (reported at {first.line}:{first.column})", "dim"),
            )
        )
        for item in document:
            yield _finding_row(item, indent="    ", where=False)
            if item.suggestion:
                yield Row(((f"      suggestion: {item.suggestion}", ""),), style="green")
        findings = [f for f in findings if not _is_document_level(f, title_line)]
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in findings:  # in order, so each group starts with its first occurrence
        groups.setdefault(_repeat_key(finding), []).append(finding)
    last_span: tuple[int, int, int, int] | None = None  # findings on one span share its excerpt
    for group in groups.values():  # first occurrences, in the findings' order
        finding = group[0]
        yield _finding_row(finding)
        span = (finding.line, finding.column, finding.end_line, finding.end_column)
        excerpt = _excerpt(finding, lines, fmt) if span != last_span else None
        last_span = span
        if excerpt is not None:
            yield Row(excerpt, print_style="dim" if finding.severity is Severity.INFO else None)
        if finding.suggestion:
            yield Row(((f"    suggestion: {finding.suggestion}", ""),), style="green")
        if len(group) > 1:
            more = [f.line for f in group[1:]]
            yield Row(
                ((f"    and {len(more)} more in this file, on lines {_line_ranges(more)}", ""),), style="dim"
            )


def _files(report: Report, options: RenderOptions) -> Iterator[list[Row]]:
    """The report's rows, one list per file, then one list with the summary (none with --quiet)."""
    cache: dict[str, list[str] | None] = {}
    formats = {f.path: f.format for f in report.files}
    titles = {f.path: next((s.line for s in f.sections if s.level > 0), None) for f in report.files}
    for path, group in groupby(report.findings, key=lambda f: f.path):
        rows = [Row(((path, ""),), style="bold underline")]
        lines = _source_lines(options, path, cache)
        rows.extend(_file_rows(list(group), lines, formats.get(path, "text"), titles.get(path)))
        rows.append(Row(()))
        yield rows
    tail: list[Row] = []
    if not options.extra.get("quiet"):  # --quiet: the findings alone
        tail.append(_summary(report))
    yield tail


def _summary(report: Report) -> Row:
    s = report.summary
    files_word = "file" if s.files == 1 else "files"
    if not report.findings:
        return Row(((f"✓ {s.files} {files_word} checked, no findings", "bold green"),))
    return Row(
        (
            (f"{s.files} {files_word} checked: ", "bold"),
            (_plural(s.error, "error"), _STYLE[Severity.ERROR] if s.error else "dim"),
            (", ", ""),
            (_plural(s.warning, "warning"), _STYLE[Severity.WARNING] if s.warning else "dim"),
            (", ", ""),
            (f"{s.info} info", _STYLE[Severity.INFO] if s.info else "dim"),
        )
    )


class _Ansi:
    """Styled rows written as ANSI text directly: rich's per-row render pipeline (measuring,
    wrapping, segment splitting) took a minute for a report of 250,000 findings in a terminal,
    and soft-wrapped rows need none of it. Styles are rendered by rich once per combination."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.codes: dict[tuple[str, str, str | None], tuple[str, str]] = {}

    def _codes(self, base: str, style: str, extra: str | None) -> tuple[str, str]:
        key = (base, style, extra)
        if key not in self.codes:
            combined = (
                Style.parse(base or "none") + Style.parse(style or "none") + Style.parse(extra or "none")
            )
            system = COLOR_SYSTEMS.get(self.console.color_system or "")
            marked = combined.render("\x00", color_system=system)
            before, _, after = marked.partition("\x00")
            self.codes[key] = (before, after)
        return self.codes[key]

    def line(self, row: Row) -> str:
        pieces: list[str] = []
        for piece, style in row.segments:
            if piece:
                before, after = self._codes(row.style, style, row.print_style)
                pieces.append(f"{before}{piece}{after}")
        return "".join(pieces)


def render(report: Report, out: TextIO, options: RenderOptions, *, plain_fast_path: bool = True) -> None:
    console = Console(
        file=out,
        force_terminal=options.color if options.color else None,
        no_color=options.color is False,
        highlight=False,
        soft_wrap=True,
        width=options.width or 120,
    )
    plain = console.color_system is None and not console.legacy_windows
    ansi = _Ansi(console) if plain_fast_path and not plain and not console.legacy_windows else None
    pending: list[str] = []  # written in one piece at the end, as a pipe reader expects
    for rows in _files(report, options):
        if plain_fast_path and plain:
            # In a pipe or a CI log rich would emit the rows' plain text, so build it directly,
            # one string per file. Only a file whose text holds what rich rewrites (control
            # codes, tabs) goes row by row. tests/test_reporters_text.py holds this path to what
            # rich prints.
            block = "\n".join([row.joined() for row in rows]) + "\n"
            if _REWRITTEN_BY_RICH.search(block) is not None:
                block = "".join([row.plain() + "\n" for row in rows])
            pending.append(block)
        elif ansi is not None and _REWRITTEN_BY_RICH.search("".join([row.joined() for row in rows])) is None:
            pending.append("".join([ansi.line(row) + "\n" for row in rows]))
        else:
            out.write("".join(pending))
            pending.clear()
            for row in rows:
                console.print(row.text())
    out.write("".join(pending))
