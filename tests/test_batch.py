"""policylint.batch: the entry point distributed engines call. Same results as the library API,
plain data out, and no bad document can fail a batch. (The Dask cluster test is test_distributed.py.)"""

from __future__ import annotations

import json
import pickle
from collections import OrderedDict
from pathlib import Path
from typing import Any

import pytest

import policylint
from conftest import EXAMPLES, ROOT, TODAY
from policylint import batch
from policylint.batch import DocumentResult, lint_batch, report_from_results
from policylint.config import Config
from policylint.errors import ConfigError
from policylint.findings import Report

CONFIG = Config(today=TODAY)
POLICIES = [
    *sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".md", ".html", ".txt"}),
    ROOT / "tests" / "fixtures" / "lang" / "de-bad.md",
    ROOT / "tests" / "fixtures" / "robustness" / "accents.md",
]


@pytest.fixture(autouse=True)
def fresh_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with an empty dedup memo (it lives as long as the process otherwise)."""
    monkeypatch.setattr(batch, "_MEMO", OrderedDict())


def _merged(*reports: Report) -> Report:
    merged = Report()
    for report in reports:
        merged.files.extend(report.files)
        merged.findings.extend(report.findings)
    return merged.finalize()


def test_paths_give_the_same_report_as_check_paths(tmp_path: Path) -> None:
    binary = tmp_path / "scan.md"
    binary.write_bytes(b"%PDF-1.7\n\x00\x01\x02 not a policy")
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("Politique de confidentialité\n\nNous répondons sous 14 jours.\n".encode("cp1252"))
    items = [str(p) for p in (*POLICIES, binary, legacy, tmp_path / "missing.md")]
    results = lint_batch(items, CONFIG)
    assert [r["name"] for r in results] == items
    assert report_from_results(results) == policylint.check_paths(items, CONFIG)
    by_name = {r["name"]: r for r in results}
    assert "PDF document" in (by_name[str(binary)]["error"] or "")
    assert by_name[str(binary)]["findings"][0]["rule"] == "io.unreadable"
    assert by_name[str(tmp_path / "missing.md")]["error"] == f"{tmp_path / 'missing.md'} does not exist"
    assert by_name[str(legacy)]["encoding"] == "windows-1252" and by_name[str(legacy)]["error"] is None
    checked = [r for r in results if r["error"] is None]
    assert len(checked) == len(POLICIES) + 1 and all(r["sha256"] for r in checked)
    assert {r["language"] for r in checked} >= {"en", "de"}


def test_records_give_the_same_findings_as_check_text() -> None:
    items: list[Any] = []
    expected = []
    for path in POLICIES:
        fmt = {".md": "markdown", ".html": "html", ".txt": "text"}[path.suffix]
        text = path.read_text(encoding="utf-8")
        name = f"https://example.com/{path.stem}"  # no extension: the format must come from the record
        items.append({"name": name, "text": text, "format": fmt} if len(items) % 2 else (name, text, fmt))
        expected.append(policylint.check_text(text, fmt, CONFIG, path=name))
    results = lint_batch(items, CONFIG)
    assert report_from_results(results) == _merged(*expected)
    assert all(r["error"] is None and r["duplicate_of"] is None for r in results)


def test_results_are_plain_data() -> None:
    results = lint_batch([str(POLICIES[0]), ("bad.md", b"\x00\x01\x02\x03")], CONFIG)
    assert json.loads(json.dumps(results)) == results
    assert pickle.loads(pickle.dumps(results)) == results
    assert set(results[0]) == set(DocumentResult.__annotations__)


def test_config_as_mapping_or_json_is_the_same_config() -> None:
    config = Config(today=TODAY, select=["jargon", "dates"], regions=["eu"])
    item = [str(EXAMPLES / "needs-work" / "service-policy.md")]
    expected = lint_batch(item, config)
    assert expected[0]["findings"]
    assert {f["rule"].split(".")[0] for f in expected[0]["findings"]} <= {"jargon", "dates"}
    assert lint_batch(item, config.model_dump_json()) == expected
    assert lint_batch(item, {"today": TODAY, "select": ["jargon", "dates"], "regions": ["eu"]}) == expected


def test_bad_items_become_error_records_and_the_batch_goes_on() -> None:
    good = ("ok.md", "# Privacy policy\n\nWe reply promptly.\n")
    items: list[Any] = [
        {"name": "report.pdf", "text": "x", "format": "pdf"},
        {"name": "empty-record"},
        42,
        {"name": "numbers.md", "text": 3.5},
        ("scan.md", b"%PDF-1.4 binary"),
        {"name": "huge.md", "text": "word " * 300},
        good,
    ]
    results = lint_batch(items, Config(today=TODAY, max_file_bytes=1000))
    errors = [r["error"] for r in results]
    assert errors[:6] == [
        "report.pdf has an unknown format 'pdf' (expected one of: markdown, html, text); not checked",
        "empty-record is a record with neither 'text' nor 'path'; not checked",
        "<item 2> is not a path, a mapping or a (name, text[, format]) tuple but int; not checked",
        "numbers.md has a text that is float, not str or bytes; not checked",
        "scan.md is a PDF document; export the policy as Markdown, HTML or plain text; not checked",
        "huge.md is 1,500 bytes, above the limit of 1,000 bytes (`max_file_bytes` in the config)",
    ]
    assert all([f["rule"] for f in r["findings"]] == ["io.unreadable"] for r in results[:6])
    assert results[6]["error"] is None and results[6]["findings"]


def test_a_crash_outside_the_rules_is_one_documents_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from policylint import engine

    real = engine.check_document

    def flaky(document: Any, config: Config, **options: Any) -> Any:
        if document.path == "boom.md":
            raise MemoryError("simulated")
        return real(document, config, **options)

    monkeypatch.setattr(engine, "check_document", flaky)
    results = lint_batch([("boom.md", "# Terms\n\nHello.\n"), str(POLICIES[0])], CONFIG)
    assert results[0]["error"] is not None and "MemoryError: simulated" in results[0]["error"]
    assert [f["rule"] for f in results[0]["findings"]] == ["internal.rule-error"]
    assert results[1]["error"] is None and results[1]["language"] == "en"


def test_an_invalid_config_fails_the_batch_not_each_document() -> None:
    with pytest.raises(ConfigError, match="unknown profile"):
        lint_batch([("a.md", "# Policy\n")], {"default_profile": "no-such-profile"})
    with pytest.raises(ConfigError, match="fail_on"):
        lint_batch([("a.md", "# Policy\n")], '{"fail_on": "sometimes"}')


def test_duplicates_reuse_the_first_result_under_their_own_name() -> None:
    text = (EXAMPLES / "needs-work" / "service-policy.md").read_text(encoding="utf-8")
    items = [("https://a.example/policy", text, "markdown"), ("https://b.example/help", text, "markdown")]
    results = lint_batch(items, CONFIG)
    assert results[0]["duplicate_of"] is None
    assert results[1]["duplicate_of"] == "https://a.example/policy"
    assert results[0]["sha256"] == results[1]["sha256"]
    assert {f["path"] for f in results[1]["findings"]} == {"https://b.example/help"}
    expected = policylint.check_text(text, "markdown", CONFIG, path="https://b.example/help")
    assert report_from_results(results[1:]) == expected
    assert lint_batch(items, CONFIG, dedup=False)[1]["duplicate_of"] is None


def test_untitled_duplicates_are_checked_again_when_their_names_differ() -> None:
    """Without a heading the file name is the title, which picks the profile: no reuse then."""
    text = "You can return any item within 14 days. Write to help@example.com.\n"
    items = [("privacy-notice.txt", text), ("returns-policy.txt", text), ("copy/returns-policy.txt", text)]
    results = lint_batch(items, CONFIG)
    assert [r["duplicate_of"] for r in results] == [None, None, "returns-policy.txt"]
    assert results[0]["profile"] == "privacy-notice" and results[1]["profile"] == "returns-policy"
    for (name, _), result in zip(items, results, strict=True):
        assert report_from_results([result]) == policylint.check_text(text, "text", CONFIG, path=name)


def test_path_dependent_configs_switch_dedup_off() -> None:
    text = (EXAMPLES / "needs-work" / "service-policy.md").read_text(encoding="utf-8")
    config = Config(today=TODAY, per_file_ignores={"quiet/*": ["jargon"]})
    results = lint_batch([("loud/a.md", text), ("quiet/b.md", text)], config)
    assert results[1]["duplicate_of"] is None
    assert any(f["rule"].startswith("jargon") for f in results[0]["findings"])
    assert not any(f["rule"].startswith("jargon") for f in results[1]["findings"])


def test_warm_up_and_the_lazy_export() -> None:
    batch.warm_up({"today": TODAY})
    assert policylint.lint_batch is lint_batch
    assert "lint_batch" in policylint.__all__


def test_error_result_reports_a_document_that_could_not_be_loaded() -> None:
    result = batch.error_result("s3://crawl/page-17", "could not be downloaded: HTTP 503", {"today": TODAY})
    assert result["error"] == "s3://crawl/page-17 could not be downloaded: HTTP 503"
    assert [f["rule"] for f in result["findings"]] == ["io.unreadable"]
    report = report_from_results([result])
    assert report.summary.files == 1 and report.summary.error == 1


def test_records_that_point_to_files_take_the_files_format() -> None:
    """Parquet rows carry every column: a None text with a path means "read the path"."""
    path = EXAMPLES / "needs-work" / "privacy-notice.html"
    items = [
        {"name": "https://shop.example/privacy", "path": str(path)},
        {"name": "https://shop.example/privacy-2", "text": None, "path": str(path), "format": None},
    ]
    results = lint_batch(items, CONFIG, dedup=False)
    assert [r["format"] for r in results] == ["html", "html"]
    text = path.read_text(encoding="utf-8")
    for result in results:
        assert report_from_results([result]) == policylint.check_text(
            text, "html", CONFIG, path=result["name"]
        )
