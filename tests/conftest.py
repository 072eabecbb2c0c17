"""Shared fixtures. The shared corpus is optional: tests that need it skip with a reason."""

from __future__ import annotations

import datetime as dt
import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = dt.date(2026, 11, 23)
PLUGIN_DIR = Path(__file__).parent / "plugin"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """policylint must work offline: any attempt to open a network connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def leave_the_heap_alone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A check run through the CLI in this process marks the process as ending after the run
    (nlp.FREEZE_HEAP) and freezes the heap: undo both after every test, so that later tests see a
    library caller's process (test_runner checks that a library caller's heap is left alone)."""
    import gc

    from policylint import nlp

    monkeypatch.setattr(nlp, "FREEZE_HEAP", nlp.FREEZE_HEAP)
    yield
    gc.unfreeze()


@pytest.fixture(scope="session")
def user_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One user cache folder (XDG_CACHE_HOME) for the whole session: compiled patterns
    (regex_cache) are stored once, not once per test."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, user_cache_home: Path
) -> None:
    """CLI runs in tests keep their result cache out of the repository (and start cold), and
    their user cache out of the real home folder."""
    monkeypatch.setenv("POLICYLINT_CACHE_DIR", str(tmp_path_factory.mktemp("policylint-cache")))
    monkeypatch.setenv("XDG_CACHE_HOME", str(user_cache_home))


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "manifest.json").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (it lives beside the repository in ../shared)")
    return CORPUS


def corpus_manifest() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture
def installed_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Install the test plugin as a distribution importlib.metadata can see (a .dist-info on sys.path)."""
    (tmp_path / "policylint_testplugin.py").write_text((PLUGIN_DIR / "policylint_testplugin.py").read_text())
    info = tmp_path / "policylint_testplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: policylint-testplugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[policylint.rules]\nshouting = policylint_testplugin:Shouting\nalways-crash = policylint_testplugin:AlwaysCrash\n"
        "kill-process = policylint_testplugin:KillProcess\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    from policylint.checks import kind_class, plugin_kinds
    from policylint.packs import _load_catalog_cached

    for cache in (plugin_kinds, kind_class, _load_catalog_cached):
        cache.cache_clear()
    yield PLUGIN_DIR / "pack.toml"
    sys.modules.pop("policylint_testplugin", None)
    for cache in (plugin_kinds, kind_class, _load_catalog_cached):
        cache.cache_clear()
