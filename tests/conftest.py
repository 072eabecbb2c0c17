"""Shared fixtures. The shared corpus is optional: tests that need it skip with a reason."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus"
TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """policylint must work offline: any attempt to open a network connection fails the test."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture
def corpus() -> Path:
    if not (CORPUS / "manifest.json").is_file():
        pytest.skip(f"shared corpus not found at {CORPUS} (it lives beside the repository in ../shared)")
    return CORPUS


def corpus_manifest() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    return data
