"""A result cache keyed by content, so a re-run on unchanged files does no NLP work at all.

The key is a hash of the file's bytes, its format and displayed path, the resolved config, the
contents of every rule and language pack in effect, and policylint's version. Content hashes
(not modification times) keep the cache valid across CI checkouts, which reset mtimes.
Writes are atomic (temp file + rename) so concurrent runs never see half an entry, and a
corrupt entry is treated as a miss, never as an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ._version import __version__
from .atomic import write_bytes_atomically
from .locations import builtin_rules_dir
from .replay import note_dir, note_file

if TYPE_CHECKING:
    from .config import Config

T = TypeVar("T")

CACHE_DIR_NAME = ".policylint_cache"
#: Entries not used for this long are deleted when the cache is pruned.
MAX_AGE_SECONDS = 30 * 24 * 3600
#: What pruning looks at: results, records and derived tables (JSON), replayed output (text).
_PRUNED_SUFFIXES = frozenset({".json", ".txt"})


def user_cache_dir() -> Path | None:
    """The user's own cache folder for policylint: ``$XDG_CACHE_HOME/policylint`` when that is
    set, else the platform's place (``~/.cache``, ``~/Library/Caches``, ``%LOCALAPPDATA%``).

    Only what must not come from a checked-out project lives here (regex_cache); results stay
    in the project's cache. None when there is no home folder to put it in.
    """
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "policylint"
    try:
        home = Path.home()
    except (RuntimeError, KeyError):
        return None
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "policylint"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "policylint" / "Cache"
    return home / ".cache" / "policylint"


def default_cache_dir() -> Path:
    """``$POLICYLINT_CACHE_DIR``, else ``.policylint_cache`` in the current folder (like ruff)."""
    env = os.environ.get("POLICYLINT_CACHE_DIR")
    return Path(env) if env else Path.cwd() / CACHE_DIR_NAME


@lru_cache(maxsize=16)
def packs_digest(extra: tuple[str, ...]) -> str:
    """A hash of every rule/language pack file's bytes: edited packs invalidate cached results."""
    digest = hashlib.sha256()
    roots = [builtin_rules_dir(), *(Path(p) for p in extra)]
    for root in roots:
        files = sorted(root.rglob("*.toml")) if root.is_dir() else [root]
        for folder in {root, *(f.parent for f in files)} if root.is_dir() else ():
            note_dir(folder)
        for file in files:
            try:
                data = file.read_bytes()
            except OSError:
                data = b"missing"
            note_file(file, data if data != b"missing" else None)
            digest.update(str(file.name).encode())
            digest.update(data)
    return digest.hexdigest()


class ResultCache:
    """Stores one JSON entry per (file content, settings) key under ``root/<version>/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / f"v{__version__}"
        self.hits = 0
        self.misses = 0

    def key(self, data: bytes, *, fmt: str, display: str, settings: str) -> str:
        digest = hashlib.sha256()
        for part in (__version__, fmt, display, settings):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\0")
        digest.update(data)
        return digest.hexdigest()

    def _valid_marker(self, config: Config) -> Path:
        digest = hashlib.sha256(
            (config.fingerprint() + packs_digest(tuple(str(p) for p in config.rule_paths))).encode()
        ).hexdigest()
        return self.dir / "valid-configs" / digest

    def known_valid(self, config: Config) -> bool:
        """True when this exact config, with these exact packs, passed validation before."""
        return self._valid_marker(config).exists()

    def mark_valid(self, config: Config) -> None:
        marker = self._valid_marker(config)
        with contextlib.suppress(OSError):
            marker.parent.mkdir(parents=True, exist_ok=True)
            self._write_gitignore()
            marker.touch()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def load(self, key: str, parse: Callable[[bytes], T | None]) -> T | None:
        """The entry under ``key``, made by ``parse`` from its bytes. Absent, unreadable, or
        refused by ``parse`` (None: corrupt or outdated) is a miss, never an error."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
        except OSError:
            self.misses += 1
            return None
        value = parse(raw)
        if value is None:
            self.misses += 1
            return None
        self.hits += 1
        with contextlib.suppress(OSError):
            os.utime(path)  # mark as used, for pruning
        return value

    def put(self, key: str, data: bytes) -> None:
        """Store an entry's bytes (the runner serialises results itself: runner._to_json)."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._write_gitignore()
            write_bytes_atomically(path, data)
        except OSError:
            return  # a read-only or full disk must not fail the lint run

    def _write_gitignore(self) -> None:
        marker = self.root / ".gitignore"
        if not marker.exists():
            with contextlib.suppress(OSError):
                marker.write_text("# Created by policylint; safe to delete.\n*\n", encoding="utf-8")

    def prune(self, now: float | None = None) -> int:
        """Delete entries unused for MAX_AGE_SECONDS and caches of other versions; returns the count."""
        now = now if now is not None else time.time()
        removed = 0
        if not self.root.is_dir():
            return 0
        for version_dir in self.root.iterdir():
            if not version_dir.is_dir():
                continue
            stale_version = version_dir != self.dir
            for entry in version_dir.rglob("*"):
                if entry.suffix not in _PRUNED_SUFFIXES:
                    continue
                try:
                    if stale_version or now - entry.stat().st_mtime > MAX_AGE_SECONDS:
                        entry.unlink()
                        removed += 1
                except OSError:
                    continue
        return removed
