"""Generated reference pages must match the code; the README's claims must stay true."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from conftest import ROOT
from policylint import check_text
from policylint.docgen import PAGES, REGIONS, splice
from policylint.findings import Report


def test_generated_docs_are_up_to_date() -> None:
    for name, build in PAGES.items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == build(), f"docs/{name} is stale: run `python -m policylint.docgen docs/`"


def test_generated_regions_of_hand_written_pages_are_up_to_date() -> None:
    for name, (region, build) in REGIONS.items():
        committed = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert committed == splice(committed, region, build()), (
            f"docs/{name} ({region}) is stale: run `python -m policylint.docgen docs/`"
        )


def test_json_output_validates_against_the_published_schema() -> None:
    schema = Report.model_json_schema()
    report = check_text("# Policy\n\nWe reply promptly. Effective 03/04/2025.\n")
    jsonschema.validate(json.loads(report.model_dump_json()), schema)


def test_readme_quickstart_commands_match_ci() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = 'python -m pip install ".[test]" && python -m pytest'
    assert test_command in readme
    assert test_command.replace('".[test]"', '--quiet ".[test]"') in ci
    assert "python -m pip install . && policylint check examples/" in readme


def test_examples_exist_for_every_format() -> None:
    suffixes = {p.suffix for p in (ROOT / "examples").rglob("*") if p.is_file()}
    assert {".md", ".html", ".txt"} <= suffixes


def test_docs_links_resolve() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in ("docs/rules.md", "docs/configuration.md", "docs/json-output.md", "docs/extending.md"):
        assert target in readme and Path(ROOT / target).is_file()
