"""Printing a change report: ``text`` for people, ``markdown`` for a pull-request comment or
``$GITHUB_STEP_SUMMARY``, ``json`` (the :class:`ChangeReport` schema), and ``github`` and
``sarif``, which are the ``check`` reporters run over the report's findings, so annotations land
on the new version's lines exactly as ``check``'s do.
"""

from __future__ import annotations

from typing import TextIO

from ..findings import Report
from ..reporters import RenderOptions, get_reporter
from .model import Change, ChangeReport, FileDiff

FORMATS = ("text", "json", "markdown", "github", "sarif")
_ARROWS = {
    "less-favourable": "▼ less favourable",
    "more-favourable": "▲ more favourable",
    "neutral": "• neutral",
}
_STATUS = {
    "added": "added (a new policy file)",
    "deleted": "DELETED (the whole policy file)",
    "renamed": "renamed",
    "unchanged": "unchanged",
    "error": "could not be compared",
}


def render(report: ChangeReport, fmt: str, out: TextIO) -> None:
    if fmt == "json":
        out.write(report.model_dump_json(indent=2) + "\n")
    elif fmt == "markdown":
        out.write(markdown(report))
    elif fmt == "text":
        out.write(text(report))
    elif fmt in ("github", "sarif"):
        findings = Report(findings=report.findings()).finalize()
        get_reporter(fmt)(findings, out, RenderOptions())
    else:
        raise ValueError(f"unknown format {fmt!r}; choose from: {', '.join(FORMATS)}")


def _name(item: FileDiff) -> str:
    if item.old_path and item.new_path and item.old_path != item.new_path:
        return f"{item.old_path} → {item.new_path}"
    return item.new_path or item.old_path or "?"


def _headline(item: FileDiff) -> str:
    if item.status in ("added", "deleted", "unchanged", "error"):
        return _STATUS[item.status] + (f": {item.error}" if item.error else "")
    if not item.changes:
        return "only cosmetic changes" if item.cosmetic else "no material change"
    less = sum(c.direction == "less-favourable" for c in item.changes)
    head = f"{len(item.changes)} material change(s), {less} less favourable"
    return head + (" (renamed)" if item.status == "renamed" else "")


def _where(change: Change) -> str:
    parts = []
    if change.new is not None:
        parts.append(f"new line {change.new.line}")
    if change.old is not None:
        parts.append(f"old line {change.old.line}")
    return ", ".join(parts)


def text(report: ChangeReport) -> str:
    lines: list[str] = []
    for item in report.files:
        lines.append(f"{_name(item)}: {_headline(item)}")
        dates = _dates(item)
        if dates:
            lines.append(f"  {dates}")
        for change in item.changes:
            lines.append(
                f"  {_ARROWS[change.direction]:19} [{change.type}] {change.summary} ({_where(change)})"
            )
            if change.before:
                lines.append(f"      - {change.before}")
            if change.after:
                lines.append(f"      + {change.after}")
        for finding in item.findings:
            if not finding.rule.startswith("change.less-") and finding.rule != "change.material":
                lines.append(
                    f"  {finding.path}:{finding.line}:{finding.column}: {finding.severity.value} "
                    f"[{finding.rule}] {finding.message}"
                )
    summary = report.summary
    lines.append(
        f"{summary.files} file(s), {summary.changes} material change(s): {summary.less_favourable} less "
        f"favourable, {summary.more_favourable} more favourable, {summary.neutral} neutral; findings: "
        f"{summary.error} error, {summary.warning} warning, {summary.info} info"
    )
    return "\n".join(lines) + "\n"


def _dates(item: FileDiff) -> str:
    if item.old_effective is None and item.new_effective is None:
        return ""
    old = item.old_effective.isoformat() if item.old_effective else "none"
    new = item.new_effective.isoformat() if item.new_effective else "none"
    return f"effective date: {old} → {new}"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _cell(text: str | None) -> str:
    return "“" + _escape(text) + "”" if text else ""


def markdown(report: ChangeReport) -> str:
    """A pull-request comment: a summary line, then per file a table of changes and the findings."""
    summary = report.summary
    out = [
        "## policylint: policy change review",
        "",
        f"{summary.files} file(s) · **{summary.less_favourable} less favourable** · "
        f"{summary.more_favourable} more favourable · {summary.neutral} neutral · "
        f"findings: {summary.error} error, {summary.warning} warning, {summary.info} info",
        "",
    ]
    for item in report.files:
        out += [f"### `{_name(item)}`: {_headline(item)}", ""]
        dates = _dates(item)
        if dates:
            out += [dates.capitalize(), ""]
        if item.changes:
            out += ["| | Change | Where | Before | After |", "|---|---|---|---|---|"]
            for change in item.changes:
                icon = {"less-favourable": "🔻", "more-favourable": "🔺"}.get(change.direction, "▫️")
                out.append(
                    f"| {icon} | **{change.type}**: {_escape(change.summary)} | {_where(change)} "
                    f"| {_cell(change.before)} | {_cell(change.after)} |"
                )
            out.append("")
        process = [f for f in item.findings if f.rule not in ("change.less-favourable", "change.material")]
        for finding in process:
            out.append(
                f"- **{finding.severity.value}** `{finding.rule}` line {finding.line}: {finding.message}"
            )
        if process:
            out.append("")
    return "\n".join(out) + "\n"
