"""``--format gitlab``: a GitLab Code Quality report (the Code Climate issue format).

Published as a ``codequality`` artifact, it makes GitLab show the findings in the merge request
widget and diff. GitLab compares reports of the source and target branch by ``fingerprint``, so
the fingerprint must survive edits that only move a finding; it is the same line-independent
hash the SARIF reporter uses.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..findings import Finding, Report, Severity
from ..fingerprint import fingerprints, posix_path
from . import RenderOptions
from .sarif import with_suggestion

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}

# Code Climate categories (Bug Risk, Clarity, Compatibility, Complexity, Duplication,
# Performance, Security, Style). Unclear wording is a clarity problem; a missing section, a
# regulatory gap or a file that was not (fully) checked is a risk to the business, not style.
# Families from user rule packs default to Style.
CATEGORIES = {
    "jargon": "Clarity",
    "readability": "Clarity",
    "dates": "Clarity",
    "sections": "Bug Risk",
    "regulation": "Bug Risk",
    "io": "Bug Risk",
    "language": "Bug Risk",
    "internal": "Bug Risk",
}
DEFAULT_CATEGORY = "Style"


def _issue(finding: Finding, fingerprint: str) -> dict[str, Any]:
    family = finding.rule.split(".", 1)[0]
    return {
        "type": "issue",
        # The spec requires a single-line description.
        "description": " ".join(with_suggestion(finding).split()),
        "check_name": finding.rule,
        "fingerprint": fingerprint,
        "severity": SEVERITIES[finding.severity],
        "categories": [CATEGORIES.get(family, DEFAULT_CATEGORY)],
        "location": {
            "path": posix_path(finding.path),
            "lines": {"begin": finding.line, "end": finding.end_line},
        },
    }


def build_gitlab(report: Report) -> list[dict[str, Any]]:
    """The list of Code Quality issues for ``report`` (what :func:`render` serialises)."""
    return [_issue(f, fp) for f, fp in zip(report.findings, fingerprints(report.findings), strict=True)]


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    json.dump(build_gitlab(report), out, indent=2, ensure_ascii=False)
    out.write("\n")
