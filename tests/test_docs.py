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


def _cited_names(page: str) -> tuple[set[str], set[str]]:
    """The dotted names (``engine.check_document``) and files (``loading.py``, ``parsers/``) a
    page cites in backticks."""
    import re

    names, files = set(), set()
    for code in re.findall(r"`([^`\s]+)`", page):
        if re.fullmatch(r"[a-z_]+/|[a-z_]+(/[a-z_]+)*\.py", code):
            files.add(code)
        elif re.fullmatch(r"[a-z_]+(\.[A-Za-z_]+)+", code):
            names.add(code)
    return names, files


def test_the_architecture_page_names_only_what_exists() -> None:
    """docs/architecture.md walks a document through the code by function name: a renamed
    function, a moved module or a removed folder must fail here, not mislead a reader."""
    import importlib

    names, files = _cited_names((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    assert len(names) > 30 and len(files) > 30
    package = ROOT / "src" / "policylint"
    missing = [f for f in sorted(files) if not (package / f).exists() and not (ROOT / f).exists()]
    not_code = {"io.unreadable", "policylint.toml", "Report.finalize"}  # a rule id, a file name, a method
    for name in sorted(names - not_code):
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):  # the longest module prefix, then attributes
            try:
                value: object = importlib.import_module("policylint." + ".".join(parts[:cut]))
            except ModuleNotFoundError:
                continue
            for attr in parts[cut:]:
                value = getattr(value, attr, None)
            if value is None:
                missing.append(name)
            break
        else:
            missing.append(name)
    assert missing == [], f"docs/architecture.md cites what does not exist: {missing}"
