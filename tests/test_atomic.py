"""write_text_atomically: the one way policylint replaces its own files (cache, baseline, status)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from policylint import atomic
from policylint.atomic import write_text_atomically


def test_writes_utf8_text_and_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "entry.json"
    write_text_atomically(target, '{"name": "Søren"}\n')
    assert target.read_bytes() == '{"name": "Søren"}\n'.encode()
    write_text_atomically(target, "{}")
    assert target.read_text(encoding="utf-8") == "{}"
    assert [p.name for p in target.parent.iterdir()] == ["entry.json"]  # no temporary file left


def test_a_failed_replace_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "baseline.json"
    target.write_text("old", encoding="utf-8")

    def refuse(src: str, dst: object) -> None:
        raise PermissionError(13, "refused", src)

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_text_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["baseline.json"]


def test_a_temporary_file_left_by_a_killed_process_is_one_a_json_prune_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The temporary name ends like the target, so the cache's ``*.json`` prune removes leftovers."""
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(atomic.os, "replace", spy)
    write_text_atomically(tmp_path / "entry.json", "{}")
    assert len(seen) == 1 and seen[0].startswith(".tmp-") and seen[0].endswith(".json")
