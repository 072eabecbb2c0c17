"""The change report's schema: what ``policylint diff`` and :func:`policylint.diff_texts` return.

These pydantic models are the JSON contract of ``diff --format json`` (``policylint schema
--diff`` prints their JSON Schema). ``CHANGE_SCHEMA_VERSION`` changes when a field is removed or
changes meaning; new optional fields keep it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from .._version import __version__
from ..findings import Finding, Severity, ToolInfo

CHANGE_SCHEMA_VERSION = 1

Direction = Literal["less-favourable", "more-favourable", "neutral"]
ChangeType = Literal[
    "section-added",
    "section-removed",
    "wording",
    "period",
    "channel",
    "right",
    "recipient",
    "data",
    "dispute",
    "governing-law",
    "fee",
    "required-part",
]
FileStatus = Literal["modified", "added", "deleted", "renamed", "unchanged", "error"]


class Place(BaseModel):
    """Where a changed statement stands in one version (1-based; end column exclusive)."""

    path: str
    line: int = Field(ge=1)
    column: int = Field(default=1, ge=1)
    end_line: int = Field(ge=1)
    end_column: int = Field(default=1, ge=1)
    section: str | None = Field(default=None, description="Title of the section it stands in.")


class Change(BaseModel):
    """One material change between two versions of a policy, as the customer sees it."""

    type: ChangeType
    topic: str = Field(
        description="What changed within the type: a period class (return-window), a channel kind "
        "(phone), a right (deletion), a recipient (advertisers), a section kind (contact)…"
    )
    direction: Direction = Field(description="For the customer: less favourable, more favourable or neutral.")
    summary: str = Field(description="One sentence for a reviewer.")
    old: Place | None = Field(default=None, description="Where it stood in the old version (None: added).")
    new: Place | None = Field(default=None, description="Where it stands in the new version (None: removed).")
    before: str | None = Field(default=None, description="The old version's sentence, quoted.")
    after: str | None = Field(default=None, description="The new version's sentence, quoted.")


class FileDiff(BaseModel):
    """The comparison of one file's two versions."""

    old_path: str | None = None
    new_path: str | None = None
    status: FileStatus = "modified"
    language: str | None = None
    profile: str | None = None
    old_effective: dt.date | None = Field(default=None, description="The old version's effective date.")
    new_effective: dt.date | None = Field(default=None, description="The new version's effective date.")
    cosmetic: bool = Field(
        default=False,
        description="True when the versions differ, but only in whitespace, markup, link targets, "
        "numbering, order or small typo fixes.",
    )
    changes: list[Change] = Field(default_factory=list)
    findings: list[Finding] = Field(
        default_factory=list,
        description="Process rules (change.*) and lint findings the new version introduces.",
    )
    error: str | None = Field(default=None, description="Why the file could not be compared.")


class DiffSummary(BaseModel):
    files: int = 0
    changes: int = 0
    less_favourable: int = 0
    more_favourable: int = 0
    neutral: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0


class ChangeReport(BaseModel):
    """The result of one ``diff`` run: each file's material changes and findings."""

    schema_version: int = CHANGE_SCHEMA_VERSION
    tool: ToolInfo = Field(default_factory=lambda: ToolInfo(version=__version__))
    base: str | None = Field(default=None, description="The Git revision compared against (--base).")
    files: list[FileDiff] = Field(default_factory=list)
    summary: DiffSummary = Field(default_factory=DiffSummary)

    def finalize(self) -> ChangeReport:
        """Recount the summary."""
        summary = DiffSummary(files=len(self.files))
        for item in self.files:
            for change in item.changes:
                summary.changes += 1
                if change.direction == "less-favourable":
                    summary.less_favourable += 1
                elif change.direction == "more-favourable":
                    summary.more_favourable += 1
                else:
                    summary.neutral += 1
            for finding in item.findings:
                setattr(summary, finding.severity.value, getattr(summary, finding.severity.value) + 1)
        self.summary = summary
        return self

    def findings(self) -> list[Finding]:
        """Every finding of every file, sorted by place."""
        found = [f for item in self.files for f in item.findings]
        return sorted(found, key=Finding.sort_key)

    def worst(self) -> Severity | None:
        return max((f.severity for f in self.findings()), key=lambda s: s.rank, default=None)
