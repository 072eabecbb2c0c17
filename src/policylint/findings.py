"""The one result schema every reporter, the cache and the library API share.

These pydantic models *are* the JSON contract: ``policylint schema`` and docs/json-output.md are
generated from them, and tests validate real output against the generated schema.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from ._version import __version__

SCHEMA_VERSION = 1


class Severity(str, Enum):
    """How much a finding matters; ``--fail-on`` compares against this order."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 1, Severity.WARNING: 2, Severity.ERROR: 3}


class Finding(BaseModel):
    """One problem at one place in one file."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="Rule id, e.g. 'jargon.legalese'.")
    severity: Severity
    message: str
    path: str = Field(description="The file as given on the command line (or --stdin-filename).")
    line: int = Field(ge=1, description="1-based line of the first character.")
    column: int = Field(ge=1, description="1-based column (Unicode code points) of the first character.")
    end_line: int = Field(ge=1)
    end_column: int = Field(ge=1, description="1-based column just past the last character (exclusive).")
    section: str | None = Field(default=None, description="Title of the section the finding is in, if any.")
    suggestion: str | None = Field(default=None, description="A replacement or fix to consider, if any.")
    page: int | None = Field(
        default=None,
        ge=1,
        description="PDF files only: the 1-based page of the first character (line and column are "
        "those of the text extracted from the PDF); null for every other format.",
    )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.rule, self.message)


class SectionInfo(BaseModel):
    """A section of a checked file, as reported in the JSON output."""

    title: str
    kind: str
    level: int
    line: int
    language: str | None = Field(
        default=None,
        description="The section's language when it is not the file's (a Danish section in an English "
        "policy); null when it is written in the file's language.",
    )


class FileReport(BaseModel):
    """What policylint learnt about one checked file."""

    path: str
    format: str
    language: str | None = None
    words: int = 0
    profile: str | None = Field(
        default=None,
        description="The document's profile (several joined with '+' when its title names several kinds).",
    )
    profile_source: str | None = Field(
        default=None,
        description="Why that profile: 'config', 'title', 'path' (the file name), 'content' (what the "
        "sections are about; required parts are then at most warnings) or 'default' (nothing said: "
        "the `generic` profile, which requires no sections).",
    )
    encoding: str | None = Field(default=None, description="Encoding assumed when reading the file.")
    sections: list[SectionInfo] = Field(default_factory=list)


class ToolInfo(BaseModel):
    name: str = "policylint"
    version: str = __version__


class Summary(BaseModel):
    """Counts over the whole run."""

    files: int = 0
    error: int = 0
    warning: int = 0
    info: int = 0


class Report(BaseModel):
    """The result of one run: the files checked and every finding, sorted by place."""

    schema_version: int = SCHEMA_VERSION
    tool: ToolInfo = Field(default_factory=ToolInfo)
    files: list[FileReport] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)

    def finalize(self) -> Report:
        """Sort files and findings deterministically and recount the summary."""
        self.files.sort(key=lambda f: f.path)
        self.findings.sort(key=Finding.sort_key)
        counts = {s: 0 for s in Severity}
        for finding in self.findings:
            counts[finding.severity] += 1
        self.summary = Summary(
            files=len(self.files),
            error=counts[Severity.ERROR],
            warning=counts[Severity.WARNING],
            info=counts[Severity.INFO],
        )
        return self

    def worst(self) -> Severity | None:
        """The highest severity among the findings, or None when there are none."""
        return max((f.severity for f in self.findings), key=lambda s: s.rank, default=None)
