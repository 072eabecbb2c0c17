"""``--format sarif``: SARIF 2.1.0, the format GitHub code scanning and most IDEs import.

Every result carries a ``partialFingerprints`` entry built from what a finding *is* (rule, file,
section, message) rather than where it sits, so code scanning keeps tracking the same alert when
an edit above it shifts its line, instead of closing it and opening a "new" one. The same
fingerprints are used by the GitLab reporter, so both systems agree on what counts as one issue.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

from .._version import __version__
from ..findings import Finding, Report, Severity
from ..fingerprint import fingerprints, posix_path
from ..packs import Catalog, RuleSpec
from . import RenderOptions

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "policylint/v1"
#: Used when the installed package metadata does not name a documentation URL.
DEFAULT_INFORMATION_URI = "https://policylint.invalid/docs"

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def with_suggestion(finding: Finding) -> str:
    """The message plus the suggestion, for formats that have no field of their own for it."""
    if finding.suggestion:
        return f"{finding.message} (suggestion: {finding.suggestion})"
    return finding.message


def _information_uri() -> str:
    """The project's documentation URL from the installed metadata (no network involved)."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        urls = metadata("policylint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return DEFAULT_INFORMATION_URI
    for entry in urls:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() in ("documentation", "homepage") and url.strip():
            return url.strip()
    return DEFAULT_INFORMATION_URI


def _rule_specs(options: RenderOptions) -> Mapping[str, RuleSpec]:
    """Rule metadata: the run's catalog when the caller passes it, else the built-in packs.

    Callers that load user rule packs pass ``extra["catalog"]`` (a Catalog or a mapping of rule
    id to RuleSpec) so that their rules get full descriptors too.
    """
    given = options.extra.get("catalog")
    if isinstance(given, Catalog):
        return given.rules
    if isinstance(given, Mapping):
        return {k: v for k, v in given.items() if isinstance(k, str) and isinstance(v, RuleSpec)}
    from ..config import Config
    from ..engine import catalog_for

    return catalog_for(Config()).rules


def _pascal(rule_id: str) -> str:
    """``dates.vague-time`` -> ``DatesVagueTime``: SARIF's readable, space-free rule name."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[.\-_]", rule_id) if part)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _fence(text: str) -> str:
    """A fenced block longer than any backtick run inside, so examples show verbatim."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text.strip()}\n{fence}"


def _descriptor(rule_id: str, spec: RuleSpec | None) -> dict[str, Any]:
    family = rule_id.split(".", 1)[0]
    if spec is None:
        # A finding whose rule is not in the catalog: still a valid, referenceable descriptor.
        return {
            "id": rule_id,
            "name": _pascal(rule_id),
            "shortDescription": {"text": rule_id},
            "properties": {"tags": [family]},
        }
    rationale, source = _flat(spec.rationale), _flat(spec.source)
    bad, good = spec.example.bad.strip(), spec.example.good.strip()
    text = f"{rationale}\n\nSource: {source}\n\nBad:\n{bad}\n\nGood:\n{good}"
    markdown = (
        f"**{spec.summary}**\n\n{rationale}\n\n**Source:** {source}\n\n"
        f"**Bad:**\n\n{_fence(bad)}\n\n**Good:**\n\n{_fence(good)}"
    )
    return {
        "id": spec.id,
        "name": _pascal(spec.id),
        "shortDescription": {"text": spec.summary},
        "fullDescription": {"text": rationale},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
        "properties": {"tags": [spec.family]},
    }


def _artifact_location(path: str) -> dict[str, Any]:
    """A relative path becomes a URI under ``%SRCROOT%`` (the repository root for code scanning)."""
    if PureWindowsPath(path).is_absolute() and PureWindowsPath(path).drive:
        return {"uri": PureWindowsPath(path).as_uri()}
    posix = posix_path(path)
    if posix.startswith("/"):
        return {"uri": PurePosixPath(posix).as_uri()}
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def _result(finding: Finding, index: int, fingerprint: str) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": LEVELS[finding.severity],
        "message": {"text": with_suggestion(finding)},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact_location(finding.path),
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": finding.end_line,
                        "endColumn": finding.end_column,
                    },
                }
            }
        ],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    }
    properties: dict[str, Any] = {}
    if finding.suggestion:
        properties["suggestion"] = finding.suggestion
    if finding.section:
        properties["section"] = finding.section
    if properties:
        result["properties"] = properties
    return result


def build_sarif(report: Report, options: RenderOptions) -> dict[str, Any]:
    """The SARIF log as a plain dict (what :func:`render` serialises; handy for tests and tools)."""
    specs = _rule_specs(options)
    rule_ids = sorted({f.rule for f in report.findings})
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [
        _result(finding, index[finding.rule], fp)
        for finding, fp in zip(report.findings, fingerprints(report.findings), strict=True)
    ]
    internal = [(i, f) for i, f in enumerate(report.findings) if f.rule.startswith("internal.")]
    invocation: dict[str, Any] = {"executionSuccessful": not internal}
    if internal:
        # A crashed rule means the run is incomplete; say so where SARIF viewers look for it.
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f.message},
                "associatedRule": {"id": f.rule, "index": index[f.rule]},
                "locations": results[i]["locations"],
            }
            for i, f in internal
        ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "policylint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": _information_uri(),
                        "rules": [_descriptor(rule_id, specs.get(rule_id)) for rule_id in rule_ids],
                    }
                },
                "invocations": [invocation],
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    json.dump(build_sarif(report, options), out, indent=2, ensure_ascii=False)
    out.write("\n")
