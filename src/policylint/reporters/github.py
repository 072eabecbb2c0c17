"""``--format github``: GitHub Actions workflow commands, which the runner turns into annotations.

Each finding becomes one ``::error``/``::warning``/``::notice`` line; GitHub shows it on the pull
request's diff at the finding's line. Nothing else is printed, because every line of a step's
output is parsed for commands and a summary line would only add noise to the log.

Escaping follows the runner's rules (actions/runner ``ActionCommand``): in the message ``%``,
CR and LF are percent-encoded; in property values ``:`` and ``,`` are too, since they delimit
the properties. The runner rejects ``col``/``endColumn`` on an annotation that spans several
lines (and then drops it silently), so those are only sent for single-line findings.
"""

from __future__ import annotations

from typing import TextIO

from ..findings import Finding, Report, Severity
from . import RenderOptions
from .sarif import with_suggestion

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(value: str) -> str:
    """Escape a command's message (the part after ``::``)."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a property value (``file=…``, ``title=…``)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    """One workflow command line for ``finding`` (without the trailing newline)."""
    props = [("file", finding.path), ("line", str(finding.line))]
    if finding.end_line == finding.line:
        props.append(("col", str(finding.column)))
        props += [("endLine", str(finding.end_line)), ("endColumn", str(finding.end_column))]
    else:
        props.append(("endLine", str(finding.end_line)))
    props.append(("title", finding.rule))
    rendered = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(with_suggestion(finding))}"


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    for finding in report.findings:
        out.write(annotation(finding) + "\n")
