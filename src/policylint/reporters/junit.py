"""``--format junit``: JUnit XML, the one test-report format every CI system can display.

Each checked file is a test case that fails when it has error or warning findings, so a CI's
test tab lists the policies that need work. Info findings do not fail the case; they go to its
``<system-out>`` so they are still visible. The XML is built with ElementTree so that paths and
messages containing ``<&>"`` are escaped correctly, and characters XML 1.0 cannot carry at all
(control characters from a broken file) are replaced rather than producing an unreadable file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from ..findings import Finding, Report, Severity
from . import RenderOptions
from .sarif import with_suggestion

# Everything outside XML 1.0's Char production (tab, LF and CR are allowed).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _line(finding: Finding) -> str:
    return _clean(
        f"{finding.path}:{finding.line}:{finding.column}: "
        f"{finding.severity.value} {finding.rule}: {with_suggestion(finding)}"
    )


def build_junit(report: Report) -> ET.Element:
    """The ``<testsuites>`` element for ``report`` (what :func:`render` serialises)."""
    paths = [f.path for f in report.files]
    # A finding for a path missing from report.files still gets a test case of its own.
    paths += sorted({f.path for f in report.findings} - set(paths))
    by_path: dict[str, list[Finding]] = {path: [] for path in paths}
    for finding in report.findings:
        by_path[finding.path].append(finding)

    failed = sum(1 for path in paths if any(f.severity is not Severity.INFO for f in by_path[path]))
    counts = {"tests": str(len(paths)), "failures": str(failed), "errors": "0"}
    root = ET.Element("testsuites", {"name": "policylint", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": "policylint", **counts, "skipped": "0"})
    for path in paths:
        name = _clean(path)
        case = ET.SubElement(suite, "testcase", {"classname": name, "name": name, "file": name})
        info: list[str] = []
        for finding in by_path[path]:
            if finding.severity is Severity.INFO:
                info.append(_line(finding))
                continue
            failure = ET.SubElement(
                case, "failure", {"type": finding.rule, "message": _clean(with_suggestion(finding))}
            )
            failure.text = _line(finding)
        if info:
            ET.SubElement(case, "system-out").text = "\n".join(info)
    return root


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    root = build_junit(report)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
