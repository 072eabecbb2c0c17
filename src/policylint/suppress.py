"""Inline suppressions: ``policylint-disable`` / ``-enable`` ranges and ``-disable-next-line``.

A directive with no rules applies to every rule; rules may be ids or families (``jargon``).
A ``disable`` without a matching ``enable`` lasts to the end of the file, as in other linters.

Directives are also checked themselves (:func:`directive_problems`): one that names no rule is a
typo that silences nothing (``suppression.unknown-rule``), and one that silenced nothing in this
run is left over from text that changed (``suppression.unused``, opt-in, like ruff's RUF100).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from .config import did_you_mean
from .document import Directive
from .findings import Finding
from .selection import matches

#: (directive line, rule pattern or "" for every rule): an entry of a directive that silenced something.
Use = tuple[int, str]


@dataclass(frozen=True, slots=True)
class _Range:
    first: int
    last: int
    rules: tuple[str, ...]
    directive: int  # the line of the disable directive that opened it


@dataclass(frozen=True, slots=True)
class DirectiveProblem:
    """A directive that does not do what its author meant: ``rule`` is the finding's rule id."""

    rule: str
    line: int
    message: str


def _covers(rules: tuple[str, ...], rule_id: str) -> bool:
    return not rules or any(matches(r, rule_id) for r in rules)


def _disabled_ranges(directives: Sequence[Directive]) -> list[_Range]:
    """The line ranges where rules are off, each with the directive that opened it."""
    ranges: list[_Range] = []
    open_: list[tuple[int, tuple[str, ...]]] = []
    for d in sorted(directives, key=lambda d: d.line):
        if d.action == "disable-next-line":
            ranges.append(_Range(d.line + 1, d.line + 1, d.rules, d.line))
        elif d.action == "disable":
            open_.append((d.line, d.rules))
        elif d.action == "enable":
            still_open: list[tuple[int, tuple[str, ...]]] = []
            for start, rules in open_:
                if not d.rules or not rules or set(rules) <= set(d.rules):
                    ranges.append(_Range(start, d.line, rules, start))
                else:
                    still_open.append((start, rules))
            open_ = still_open
    ranges.extend(_Range(start, 10**12, rules, start) for start, rules in open_)
    return ranges


def suppress(findings: list[Finding], directives: Sequence[Directive]) -> tuple[list[Finding], set[Use]]:
    """The findings not silenced by inline comments, and which directive entries silenced one.
    Findings about the run itself (``internal.``, ``io.``) are never silenced."""
    if not directives:
        return findings, set()
    ranges = _disabled_ranges(directives)
    kept: list[Finding] = []
    used: set[Use] = set()
    for finding in findings:
        if finding.rule.startswith(("internal.", "io.")):
            kept.append(finding)
            continue
        silenced = False
        for r in ranges:
            if r.first <= finding.line <= r.last and _covers(r.rules, finding.rule):
                silenced = True
                used.update((r.directive, p) for p in r.rules if matches(p, finding.rule))
                if not r.rules:
                    used.add((r.directive, ""))
        if not silenced:
            kept.append(finding)
    return kept, used


def apply_suppressions(findings: list[Finding], directives: Sequence[Directive]) -> list[Finding]:
    """Drop findings silenced by inline comments. Document-level findings (line 1) stay unless
    the comment is a disable range that starts at the top of the file."""
    return suppress(findings, directives)[0]


def directive_problems(
    directives: Sequence[Directive],
    used: Collection[Use],
    known: Iterable[str],
    ran: Collection[str],
    *,
    report_unused: bool,
) -> list[DirectiveProblem]:
    """Directives naming no rule (with the closest ids), and, when ``report_unused``, disabling
    directives that silenced nothing. A rule that did not run (deselected, another language or
    profile) cannot show whether its directive is needed, so such entries are not called unused."""
    ids = list(known)
    names = [*ids, *{rid.split(".")[0] for rid in ids}]
    problems: list[DirectiveProblem] = []
    for d in sorted(directives, key=lambda d: d.line):
        comment = f"policylint-{d.action}"
        for pattern in d.rules:
            if not any(matches(pattern, rid) for rid in ids):
                hint = did_you_mean(pattern, names)
                problems.append(
                    DirectiveProblem(
                        "suppression.unknown-rule",
                        d.line,
                        f"`{comment}` names {pattern!r}, which matches no rule, so it silences nothing.{hint}",
                    )
                )
        if not report_unused or d.action == "enable":
            continue
        if not d.rules:
            if (d.line, "") not in used:
                problems.append(
                    DirectiveProblem(
                        "suppression.unused", d.line, f"`{comment}` silences no finding: remove it."
                    )
                )
            continue
        idle = [p for p in d.rules if (d.line, p) not in used and any(matches(p, rid) for rid in ran)]
        if idle:
            problems.append(
                DirectiveProblem(
                    "suppression.unused",
                    d.line,
                    f"`{comment} {' '.join(idle)}` silences no finding: remove "
                    + ("it." if len(idle) == len(d.rules) else "these rule ids from it."),
                )
            )
    return problems
