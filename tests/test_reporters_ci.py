"""The CI-facing reporters (sarif, github, junit, gitlab) against each format's documented shape.

Reports come from the real engine (``policylint.check_text``) and from the real CLI; a "tricky"
report adds paths and messages with commas, colons, percent signs, newlines, quotes and ``<&>``
so that every format's escaping is exercised, and each test parses the output back the way the
consuming system would.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest

import policylint
from conftest import EXAMPLES, ROOT, TODAY
from policylint.config import Config
from policylint.engine import catalog_for
from policylint.findings import FileReport, Finding, Report, Severity
from policylint.fingerprint import fingerprints
from policylint.reporters import REPORTERS, RenderOptions, get_reporter

SARIF_SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
NEEDS_WORK = EXAMPLES / "needs-work" / "service-policy.md"
NEEDS_WORK_REL = "examples/needs-work/service-policy.md"
GOOD = EXAMPLES / "good" / "customer-service-policy.md"

TRICKY_PATH = 'policies/a, b: 100% "odd" <&>.md'
TRICKY_MESSAGE = 'Line one, with: 100% <&> "quotes"\r\nline two ::warning file=x::fake'
TRICKY_SUGGESTION = "a, b: c% <d>"

CI_FORMATS = ("sarif", "github", "junit", "gitlab")


def render(fmt: str, report: Report, options: RenderOptions | None = None) -> str:
    buffer = io.StringIO()
    get_reporter(fmt)(report, buffer, options or RenderOptions())
    return buffer.getvalue()


def needs_work_report() -> Report:
    return policylint.check_text(
        NEEDS_WORK.read_text("utf-8"), "markdown", {"today": TODAY}, path=NEEDS_WORK_REL
    )


def tricky_report() -> Report:
    """Real findings on an awkward path, plus one whose message and suggestion need escaping."""
    text = "# Returns\n\nWe will refund you promptly.\n\nWe shall reply from time to time.\n"
    report = policylint.check_text(text, "markdown", {"today": TODAY}, path=TRICKY_PATH)
    base = report.findings[0]
    report.findings.append(
        base.model_copy(
            update={
                "rule": "jargon.legalese",
                "severity": Severity.WARNING,
                "message": TRICKY_MESSAGE,
                "suggestion": TRICKY_SUGGESTION,
                "line": 5,
                "column": 2,
                "end_line": 5,
                "end_column": 7,
            }
        )
    )
    return report.finalize()


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_formats_are_registered_and_offered_by_the_cli() -> None:
    for fmt in CI_FORMATS:
        assert fmt in REPORTERS
        assert callable(get_reporter(fmt))
    help_text = run_cli("check", "--help").stdout
    for fmt in CI_FORMATS:
        assert fmt in help_text


# --- SARIF ---------------------------------------------------------------------------------------


def assert_valid_sarif(data: dict[str, Any]) -> None:
    validator = jsonschema.Draft7Validator(SARIF_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


@pytest.mark.parametrize(
    "make", [needs_work_report, tricky_report, Report], ids=["needs-work", "tricky", "empty"]
)
def test_sarif_validates_against_the_official_schema(make: Any) -> None:
    assert_valid_sarif(json.loads(render("sarif", make())))


def test_sarif_run_tool_and_rules() -> None:
    report = needs_work_report()
    data = json.loads(render("sarif", report))
    assert data["version"] == "2.1.0"
    (run,) = data["runs"]
    assert run["columnKind"] == "unicodeCodePoints"
    assert run["invocations"] == [{"executionSuccessful": True}]
    driver = run["tool"]["driver"]
    assert driver["name"] == "policylint"
    assert driver["version"] == policylint.__version__
    assert driver["informationUri"].startswith("https://")

    rules = driver["rules"]
    assert [r["id"] for r in rules] == sorted({f.rule for f in report.findings})
    catalog = catalog_for(Config()).rules
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for rule in rules:
        spec = catalog[rule["id"]]
        assert rule["shortDescription"]["text"] == spec.summary
        assert rule["fullDescription"]["text"] == " ".join(spec.rationale.split())
        assert rule["defaultConfiguration"]["level"] == levels[spec.severity.value]
        assert rule["properties"]["tags"] == [spec.family]
        for part in (" ".join(spec.source.split()), spec.example.bad.strip(), spec.example.good.strip()):
            assert part in rule["help"]["text"]
            assert part in rule["help"]["markdown"]


def test_sarif_results_point_at_the_findings() -> None:
    report = needs_work_report()
    run = json.loads(render("sarif", report))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(report.findings)
    levels = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    for finding, result in zip(report.findings, run["results"], strict=True):
        assert result["ruleId"] == finding.rule
        assert rules[result["ruleIndex"]]["id"] == finding.rule
        assert result["level"] == levels[finding.severity]
        assert result["message"]["text"].startswith(finding.message)
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": NEEDS_WORK_REL, "uriBaseId": "%SRCROOT%"}
        assert physical["region"] == {
            "startLine": finding.line,
            "startColumn": finding.column,
            "endLine": finding.end_line,
            "endColumn": finding.end_column,
        }
        if finding.suggestion:
            assert result["properties"]["suggestion"] == finding.suggestion
            assert finding.suggestion in result["message"]["text"]
        else:
            assert "suggestion" not in result.get("properties", {})


def test_sarif_escapes_tricky_paths_and_messages() -> None:
    report = tricky_report()
    text = render("sarif", report)
    data = json.loads(text)
    assert_valid_sarif(data)
    results = data["runs"][0]["results"]
    for result in results:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert " " not in uri and '"' not in uri and "<" not in uri
        assert unquote(uri) == TRICKY_PATH
    (tricky,) = [r for r in results if r["message"]["text"].startswith(TRICKY_MESSAGE)]
    assert tricky["properties"]["suggestion"] == TRICKY_SUGGESTION
    assert TRICKY_SUGGESTION in tricky["message"]["text"]


def test_sarif_fingerprints_are_unique_and_survive_shifted_lines() -> None:
    text = NEEDS_WORK.read_text("utf-8")
    before = policylint.check_text(text, "markdown", {"today": TODAY}, path=NEEDS_WORK_REL)
    after = policylint.check_text("\n\n\n" + text, "markdown", {"today": TODAY}, path=NEEDS_WORK_REL)
    assert [f.line + 3 for f in before.findings] == [f.line for f in after.findings]

    def prints(report: Report) -> list[str]:
        results = json.loads(render("sarif", report))["runs"][0]["results"]
        return [r["partialFingerprints"]["policylint/v1"] for r in results]

    assert prints(before) == prints(after)
    assert len(set(prints(before))) == len(before.findings)
    # A measured number in the message (word count, grade) moving does not make a new issue...
    finding = next(f for f in before.findings if f.rule == "readability.long-sentence")
    changed = finding.model_copy(update={"message": finding.message.replace("56", "61")})
    assert fingerprints([finding]) == fingerprints([changed])
    # ...but a different file, rule or section does.
    for update in ({"path": "other.md"}, {"rule": "readability.other"}, {"section": "Elsewhere"}):
        assert fingerprints([finding]) != fingerprints([finding.model_copy(update=update)])


def test_sarif_unknown_rule_and_extra_catalog() -> None:
    report = needs_work_report()
    report.findings.append(report.findings[0].model_copy(update={"rule": "custom.not-in-catalog"}))
    report.finalize()
    data = json.loads(render("sarif", report))
    assert_valid_sarif(data)
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["custom.not-in-catalog"]["shortDescription"]["text"]

    catalog = catalog_for(Config())
    spec = catalog.rules["jargon.legalese"].model_copy(update={"summary": "From the run's catalog"})
    options = RenderOptions(extra={"catalog": {**catalog.rules, "jargon.legalese": spec}})
    data = json.loads(render("sarif", report, options))
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["jargon.legalese"]["shortDescription"]["text"] == "From the run's catalog"
    options = RenderOptions(extra={"catalog": catalog})
    data = json.loads(render("sarif", report, options))
    rules = {r["id"]: r for r in data["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["jargon.legalese"]["shortDescription"]["text"] == catalog.rules["jargon.legalese"].summary


def test_sarif_internal_error_marks_the_invocation_unsuccessful() -> None:
    report = needs_work_report()
    crash = report.findings[0].model_copy(
        update={"rule": "internal.rule-error", "severity": Severity.ERROR, "message": "rule x failed"}
    )
    report.findings.append(crash)
    data = json.loads(render("sarif", report.finalize()))
    assert_valid_sarif(data)
    (invocation,) = data["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["message"]["text"] == "rule x failed"
    assert note["associatedRule"]["id"] == "internal.rule-error"


def test_sarif_through_the_cli(tmp_path: Path) -> None:
    result = run_cli("check", NEEDS_WORK_REL, "--format", "sarif", "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert_valid_sarif(data)
    assert data["runs"][0]["results"]
    assert {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]
    } == {NEEDS_WORK_REL}
    out = tmp_path / "report.sarif"
    written = run_cli("check", NEEDS_WORK_REL, "-f", "sarif", "-o", str(out), "--exit-zero")
    assert written.returncode == 0 and written.stdout == ""
    assert_valid_sarif(json.loads(out.read_text("utf-8")))


# --- GitHub workflow commands --------------------------------------------------------------------


def _unescape_data(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def _unescape_property(value: str) -> str:
    return (
        value.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse one workflow command the way actions/runner's ActionCommand.TryParseV2 does."""
    assert line.startswith("::")
    end = line.index("::", 2)
    head, data = line[2:end], line[end + 2 :]
    command, _, props = head.partition(" ")
    properties: dict[str, str] = {}
    for pair in filter(None, props.split(",")):
        key, sep, value = pair.partition("=")
        assert sep, f"property without '=': {pair!r}"
        properties[key] = _unescape_property(value)
    return command, properties, _unescape_data(data)


def check_github_lines(output: str, report: Report) -> list[tuple[str, dict[str, str], str]]:
    assert output.endswith("\n")
    lines = output.splitlines()
    assert len(lines) == len(report.findings)  # annotations only: no header, no summary
    parsed = [parse_command(line) for line in lines]
    commands = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    for finding, (command, props, message) in zip(report.findings, parsed, strict=True):
        assert command == commands[finding.severity]
        assert props["file"] == finding.path
        assert props["title"] == finding.rule
        assert int(props["line"]) == finding.line
        assert int(props["endLine"]) == finding.end_line
        if finding.end_line == finding.line:
            assert int(props["col"]) == finding.column
            assert int(props["endColumn"]) == finding.end_column >= finding.column
        else:  # the runner rejects columns on multi-line annotations
            assert "col" not in props and "endColumn" not in props
        assert message.startswith(finding.message)
        if finding.suggestion:
            assert finding.suggestion in message
    return parsed


def test_github_annotations() -> None:
    report = needs_work_report()
    parsed = check_github_lines(render("github", report), report)
    assert {c for c, _, _ in parsed} == {"error", "warning", "notice"}
    assert any("col" not in props for _, props, _ in parsed), "expected a multi-line finding"


def test_github_escaping_round_trips() -> None:
    report = tricky_report()
    output = render("github", report)
    for line in output.splitlines():
        assert "\r" not in line
        head = line[2 : line.index("::", 2)]
        assert head.count(":") == 0  # every ':' inside the properties is escaped
    parsed = check_github_lines(output, report)
    assert all(props["file"] == TRICKY_PATH for _, props, _ in parsed)
    assert any(msg == f"{TRICKY_MESSAGE} (suggestion: {TRICKY_SUGGESTION})" for _, _, msg in parsed)


def test_github_empty_report_prints_nothing() -> None:
    assert render("github", Report()) == ""


def test_github_through_the_cli() -> None:
    result = run_cli("check", NEEDS_WORK_REL, "--format", "github", "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    check_github_lines(result.stdout, needs_work_report())


# --- JUnit XML -----------------------------------------------------------------------------------


def two_file_report() -> Report:
    bad = needs_work_report()
    good = policylint.check_text(GOOD.read_text("utf-8"), "markdown", {"today": TODAY}, path="good.md")
    assert not good.findings
    bad.files += good.files
    return bad.finalize()


def check_junit(output: str, report: Report) -> ET.Element:
    assert output.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    root = ET.fromstring(output.encode("utf-8"))
    assert root.tag == "testsuites"
    (suite,) = root
    assert suite.tag == "testsuite" and suite.get("name") == "policylint"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [f.path for f in report.files]
    assert suite.get("tests") == str(len(report.files))
    assert suite.get("errors") == "0"
    failing = 0
    for case in cases:
        path = case.get("name")
        assert case.get("classname") == path
        expected = [f for f in report.findings if f.path == path and f.severity is not Severity.INFO]
        failures = case.findall("failure")
        assert [f.get("type") for f in failures] == [f.rule for f in expected]
        for element, finding in zip(failures, expected, strict=True):
            assert (element.get("message") or "").startswith(finding.message)
            assert element.text == (
                f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.value} "
                f"{finding.rule}: {element.get('message')}"
            )
        failing += bool(failures)
        info = [f for f in report.findings if f.path == path and f.severity is Severity.INFO]
        out = case.find("system-out")
        if info:
            assert out is not None and out.text is not None
            assert [line.split(" ", 2)[2].split(":")[0] for line in out.text.splitlines()] == [
                f.rule for f in info
            ]
        else:
            assert out is None
    assert suite.get("failures") == str(failing)
    return root


def test_junit_structure() -> None:
    report = two_file_report()
    output = render("junit", report)
    root = check_junit(output, report)
    suite = root[0]
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    good = suite.find("testcase[@name='good.md']")
    assert good is not None and len(good) == 0
    assert "\n  <testsuite" in output  # pretty-printed


def test_junit_escaping_round_trips() -> None:
    report = tricky_report()
    report.findings.append(report.findings[0].model_copy(update={"message": "bell\x07 and nul\x00 chars"}))
    report.finalize()
    output = render("junit", report)
    root = ET.fromstring(output.encode("utf-8"))
    (case,) = root.iter("testcase")
    assert case.get("name") == case.get("classname") == TRICKY_PATH
    failures = list(case.iter("failure"))
    messages = [f.get("message") for f in failures]
    # Attribute values survive exactly, CR and LF included (ElementTree writes them as &#13;&#10;).
    assert f"{TRICKY_MESSAGE} (suggestion: {TRICKY_SUGGESTION})" in messages
    # Characters XML 1.0 cannot carry are replaced instead of making the file unparsable.
    assert "bell\ufffd and nul\ufffd chars" in messages
    assert any(
        (f.text or "").startswith(f"{TRICKY_PATH}:5:2: warning jargon.legalese: Line one") for f in failures
    )


def test_junit_through_the_cli() -> None:
    result = run_cli("check", NEEDS_WORK_REL, "--format", "junit", "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    check_junit(result.stdout, needs_work_report())


# --- GitLab Code Quality -------------------------------------------------------------------------

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
CODE_CLIMATE_CATEGORIES = {
    "Bug Risk",
    "Clarity",
    "Compatibility",
    "Complexity",
    "Duplication",
    "Performance",
    "Security",
    "Style",
}


def check_gitlab(output: str, report: Report) -> list[dict[str, Any]]:
    issues = json.loads(output)
    assert isinstance(issues, list) and len(issues) == len(report.findings)
    severities = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}
    for issue, finding in zip(issues, report.findings, strict=True):
        assert set(issue) == {
            "type",
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "categories",
            "location",
        }
        assert issue["type"] == "issue"
        assert issue["check_name"] == finding.rule
        assert issue["severity"] == severities[finding.severity] and issue["severity"] in GITLAB_SEVERITIES
        assert issue["categories"] and set(issue["categories"]) <= CODE_CLIMATE_CATEGORIES
        assert "\n" not in issue["description"] and "\r" not in issue["description"]
        assert issue["location"] == {
            "path": finding.path,
            "lines": {"begin": finding.line, "end": finding.end_line},
        }
        assert isinstance(issue["fingerprint"], str) and issue["fingerprint"]
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    return issues


def test_gitlab_code_quality() -> None:
    report = needs_work_report()
    issues = check_gitlab(render("gitlab", report), report)
    by_rule = {i["check_name"]: i for i in issues}
    assert by_rule["sections.missing-privacy"]["categories"] == ["Bug Risk"]
    assert by_rule["jargon.legalese"]["categories"] == ["Clarity"]
    sarif = json.loads(render("sarif", report))["runs"][0]["results"]
    assert [i["fingerprint"] for i in issues] == [r["partialFingerprints"]["policylint/v1"] for r in sarif]


def test_gitlab_escaping_and_collisions() -> None:
    report = tricky_report()
    twin = report.findings[-1].model_copy(update={"line": 7, "end_line": 7})
    report.findings.append(twin)
    report.finalize()
    issues = check_gitlab(render("gitlab", report), report)
    assert any(
        i["description"]
        == f'Line one, with: 100% <&> "quotes" line two ::warning file=x::fake (suggestion: {TRICKY_SUGGESTION})'
        for i in issues
    )
    assert all(i["location"]["path"] == TRICKY_PATH for i in issues)


def test_gitlab_empty_report_is_an_empty_array() -> None:
    assert json.loads(render("gitlab", Report())) == []


def test_gitlab_through_the_cli() -> None:
    result = run_cli("check", NEEDS_WORK_REL, "--format", "gitlab", "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    check_gitlab(result.stdout, needs_work_report())


def test_finding_for_a_file_missing_from_report_files_still_renders() -> None:
    finding = Finding(
        rule="io.unreadable",
        severity=Severity.ERROR,
        message="gone.md does not exist",
        path="gone.md",
        line=1,
        column=1,
        end_line=1,
        end_column=2,
    )
    report = Report(files=[FileReport(path="ok.md", format="markdown")], findings=[finding]).finalize()
    root = ET.fromstring(render("junit", report).encode("utf-8"))
    assert [c.get("name") for c in root.iter("testcase")] == ["ok.md", "gone.md"]
    assert_valid_sarif(json.loads(render("sarif", report)))
