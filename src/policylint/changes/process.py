"""Findings of a change: the ``change.*`` rules and the lint findings a new version introduces.

Material changes become ``change.less-favourable`` (what customers lose) and ``change.material``
(everything else) findings at their place in the new version, so that ``--fail-on``, SARIF and
GitHub annotations work as for ``check``. The process rules judge how the change is made:
``change.date-not-updated``, ``change.short-notice`` and ``change.broken-promise``. Lint findings
of the new version count only when the old version did not have them already (the identities of
:mod:`policylint.baseline`), so a pull request is judged on what it adds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from ..baseline import filter_new
from ..checks import kind_class
from ..checks.base import render_message
from ..config import Config
from ..dates import EffectiveDate
from ..document import Document
from ..engine import catalog_for, check_document
from ..findings import Finding
from ..fingerprint import identity
from ..selection import is_selected, severity_for
from .extract import Facts
from .model import Change, Place

#: Which lint rules a diff runs on both versions: none, those that need no spaCy, or all.
LINT_MODES = ("none", "text", "all")


def _finding(
    rule_id: str, config: Config, where: Place | None, path: str, fields: dict[str, Any]
) -> Finding | None:
    spec = catalog_for(config).rules.get(rule_id)
    if spec is None or not is_selected(spec, config):
        return None
    line = where.line if where is not None else 1
    column = where.column if where is not None else 1
    end_line = where.end_line if where is not None else line
    end_column = where.end_column if where is not None else column + 1
    if (end_line, end_column) <= (line, column):
        end_line, end_column = line, column + 1
    return Finding(
        rule=rule_id,
        severity=severity_for(spec, config),
        message=render_message(spec.message, fields),
        path=path,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column,
        section=where.section if where is not None else None,
    )


def change_findings(changes: list[Change], new: Document, config: Config) -> list[Finding]:
    """One finding per material change, at its place in the new version (or the nearest one)."""
    found: list[Finding] = []
    for change in changes:
        rule = "change.less-favourable" if change.direction == "less-favourable" else "change.material"
        where = change.new or _nearest(change, new)
        quoted = change.before if change.after is None else change.after
        fields = {"summary": change.summary, "direction": change.direction, "quote": quoted or ""}
        finding = _finding(rule, config, where, new.path, fields)
        if finding is not None:
            found.append(finding)
    return found


def _nearest(change: Change, new: Document) -> Place | None:
    """For something removed: the new version's section with the old place's title, if any."""
    title = change.old.section if change.old is not None else None
    for section in new.sections():
        if title and section.title == title:
            return Place(path=new.path, line=section.line, end_line=section.line, end_column=2, section=title)
    return None


def latest(dates: list[EffectiveDate]) -> EffectiveDate | None:
    return max(dates, key=lambda e: e.date, default=None)


def _date_place(document: Document, date: EffectiveDate) -> Place:
    loc = document.location(date.start, date.end)
    section = date.section.title if date.section is not None and date.section.level > 0 else None
    return Place(
        path=document.path,
        line=loc.line,
        column=loc.column,
        end_line=loc.end_line,
        end_column=max(loc.end_column, loc.column + 1) if loc.end_line == loc.line else loc.end_column,
        section=section,
    )


def process_findings(
    old: Facts, new: Facts, changes: list[Change], config: Config, reference: dt.date
) -> list[Finding]:
    """``change.date-not-updated``, ``change.broken-promise`` and ``change.short-notice``."""
    if not changes:
        return []
    found: list[Finding | None] = []
    before, after = latest(old.effective), latest(new.effective)
    path = new.document.path
    if before is not None and after is not None and before.date == after.date:
        where = _date_place(new.document, after)
        found.append(
            _finding(
                "change.date-not-updated", config, where, path, {"date": after.text, "count": len(changes)}
            )
        )
    less = [c for c in changes if c.direction == "less-favourable"]
    if less and after is not None:
        where = _date_place(new.document, after)
        days = (after.date - reference).days
        promise = old.notice_promise or new.notice_promise
        promised = round(promise[0] / 24) if promise is not None else 0
        fields = {"date": after.text, "days": days, "reference": reference.isoformat(), "count": len(less)}
        if promise is not None and days < promised:
            fields.update(promised=promised, promise=promise[1].sentence)
            found.append(_finding("change.broken-promise", config, where, path, fields))
        elif days < config.change_notice_days:
            fields["notice_days"] = config.change_notice_days
            found.append(_finding("change.short-notice", config, where, path, fields))
    return [f for f in found if f is not None]


def lint_config(config: Config, mode: str) -> Config | None:
    """The config the lint pass runs with: ``text`` leaves out rules that need spaCy."""
    if mode == "none":
        return None
    if mode == "all":
        return config
    catalog = catalog_for(config)
    heavy = [spec.id for spec in catalog.rules.values() if kind_class(spec.kind, spec.pack).uses_nlp]
    return config.model_copy(update={"ignore": [*config.ignore, *heavy]})


def new_lint_findings(old: Document, new: Document, config: Config | None) -> list[Finding]:
    """Findings of the new version that the old version (read under the new path) did not have."""
    if config is None:
        return []
    before = check_document(old, config, classified=True).findings
    after = check_document(new, config, classified=True).findings
    known = Counter(identity(f.model_copy(update={"path": new.path})) for f in before)
    fresh, _ = filter_new(after, known)
    return fresh
