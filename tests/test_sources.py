"""Rule sources and profile descriptions cite the law or guidance itself.

The package ships rules/*.toml without the maintainers' research notes, so a source that says
"REGULATORY.md §1" points a user at a file they do not have.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from conftest import ROOT
from policylint.cli import main
from policylint.config import Config
from policylint.engine import catalog_for

PACK_FILES = sorted((ROOT / "rules").rglob("*.toml"))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("path", PACK_FILES, ids=lambda p: p.name)
def test_no_pack_text_mentions_the_research_notes(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert not [s for s in _strings(data) if "REGULATORY" in s]


def test_explain_cites_the_law_for_every_rule() -> None:
    for rule in sorted(catalog_for(Config()).rules):
        out = io.StringIO()
        assert main(["explain", rule], out=out) == 0
        text = out.getvalue()
        assert "Source: " in text
        assert "REGULATORY" not in text, rule
