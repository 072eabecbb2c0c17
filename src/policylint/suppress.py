"""Inline suppressions: ``policylint-disable`` / ``-enable`` ranges and ``-disable-next-line``.

A directive with no rules applies to every rule; rules may be ids or families (``jargon``).
A ``disable`` without a matching ``enable`` lasts to the end of the file, as in other linters.
"""

from __future__ import annotations

from collections.abc import Sequence

from .document import Directive
from .findings import Finding
from .selection import matches


def _covers(rules: tuple[str, ...], rule_id: str) -> bool:
    return not rules or any(matches(r, rule_id) for r in rules)


def _disabled_ranges(directives: Sequence[Directive]) -> list[tuple[int, int, tuple[str, ...]]]:
    """(first line, last line, rules) ranges where rules are off."""
    ranges: list[tuple[int, int, tuple[str, ...]]] = []
    open_: list[tuple[int, tuple[str, ...]]] = []
    for d in sorted(directives, key=lambda d: d.line):
        if d.action == "disable-next-line":
            ranges.append((d.line + 1, d.line + 1, d.rules))
        elif d.action == "disable":
            open_.append((d.line, d.rules))
        elif d.action == "enable":
            still_open: list[tuple[int, tuple[str, ...]]] = []
            for start, rules in open_:
                if not d.rules or not rules or set(rules) <= set(d.rules):
                    ranges.append((start, d.line, rules))
                else:
                    still_open.append((start, rules))
            open_ = still_open
    ranges.extend((start, 10**12, rules) for start, rules in open_)
    return ranges


def apply_suppressions(findings: list[Finding], directives: Sequence[Directive]) -> list[Finding]:
    """Drop findings silenced by inline comments. Document-level findings (line 1) stay unless
    the comment is a disable range that starts at the top of the file."""
    if not directives:
        return findings
    ranges = _disabled_ranges(directives)
    kept: list[Finding] = []
    for finding in findings:
        silenced = any(
            first <= finding.line <= last and _covers(rules, finding.rule) for first, last, rules in ranges
        )
        if not silenced or finding.rule.startswith(("internal.", "io.")):
            kept.append(finding)
    return kept
