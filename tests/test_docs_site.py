"""The documentation site builds with ``mkdocs build --strict``: no broken link, anchor or page.

Strict mode turns every warning into a failure, so a renamed rule, a moved page or a typo in a
cross-reference fails here instead of producing a site with dead links. Skips when mkdocs or
the material theme is not installed (both are in the ``test`` extras).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from policylint.config import Config
from policylint.engine import catalog_for


def test_docs_site_builds_strictly(tmp_path: Path) -> None:
    missing = [name for name in ("mkdocs", "material") if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"{' and '.join(missing)} not installed: python -m pip install '.[test]'")
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (site / "index.html").is_file()
    for page in sorted((ROOT / "docs").glob("*.md")):  # every page is built, in the nav or not
        built = site / "index.html" if page.stem == "index" else site / page.stem / "index.html"
        assert built.is_file(), f"docs/{page.name} was not built"
    rules = (site / "rules" / "index.html").read_text("utf-8")
    for rule_id in catalog_for(Config()).rules:  # one anchored section per rule
        assert f'id="{rule_id.replace(".", "")}"' in rules, rule_id
    assert "fonts.googleapis" not in (site / "index.html").read_text("utf-8")  # readable offline
