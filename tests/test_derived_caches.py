"""Derived data cached between CLI runs: parsed Pyphen patterns and reduced lemma tables.

Both only save start-up time, so the tests check three things: a count is the same from the cache
as from Pyphen's own parsing, a bad cache file falls back to parsing, and the files survive the
pruning that follows every run that checked something.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyphen
import pytest

from policylint import readability

WORDS = [
    "information",
    "responsibility",
    "kundeservice",
    "personoplysninger",
    "Datenschutzerklärung",
    "Rückgaberecht",
    "personvernerklæring",
    "privatnost",
    "isikuandmete",
    "unbelievably",
    "a",
]
CODES = ["en_US", "da_DK", "de_DE", "nb_NO", "hr_HR", "et_EE"]


@contextlib.contextmanager
def _fresh_pyphen(cache_dir: Path | None) -> Iterator[None]:
    """Pyphen and our hyphenator as in a new process, with ``cache_dir`` as the cache folder."""
    saved = dict(pyphen.hdcache)
    previous = readability.HYPHENATION_CACHE_DIR
    pyphen.hdcache.clear()
    readability.hyphenator.cache_clear()
    readability.syllables.cache_clear()
    readability.HYPHENATION_CACHE_DIR = cache_dir
    try:
        yield
    finally:
        readability.HYPHENATION_CACHE_DIR = previous
        readability.hyphenator.cache_clear()
        readability.syllables.cache_clear()
        pyphen.hdcache.clear()
        pyphen.hdcache.update(saved)


def _counts(code: str) -> list[int]:
    return [readability.syllables(w.lower(), code) for w in WORDS]


@pytest.mark.parametrize("code", CODES)
def test_cached_patterns_count_the_same_syllables(code: str, tmp_path: Path) -> None:
    with _fresh_pyphen(None):
        expected = _counts(code)
    with _fresh_pyphen(tmp_path):
        assert _counts(code) == expected  # parsed by Pyphen, then written
    assert list(tmp_path.glob(f"{code}-*.json"))
    with _fresh_pyphen(tmp_path):
        parse = pyphen.HyphDict.__init__

        def refuse(self: object, path: object) -> None:
            raise AssertionError("the cached patterns were not used")

        pyphen.HyphDict.__init__ = refuse  # type: ignore[method-assign]
        try:
            assert _counts(code) == expected
        finally:
            pyphen.HyphDict.__init__ = parse  # type: ignore[method-assign]


def test_a_corrupt_cache_file_falls_back_to_parsing(tmp_path: Path) -> None:
    with _fresh_pyphen(None):
        expected = _counts("en_US")
    with _fresh_pyphen(tmp_path):
        _counts("en_US")
    (written,) = tmp_path.glob("en_US-*.json")
    for broken in ("{not json", json.dumps({"patterns": [], "maxlen": 4}), json.dumps({"maxlen": 4})):
        written.write_text(broken, encoding="utf-8")
        with _fresh_pyphen(tmp_path):
            assert _counts("en_US") == expected
        assert json.loads(written.read_text(encoding="utf-8"))["maxlen"] > 0  # parsed, rewritten


def test_the_library_default_writes_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with _fresh_pyphen(None):
        _counts("de_DE")
    assert list(tmp_path.iterdir()) == []


def test_unknown_dictionary_codes_still_fall_back_to_english(tmp_path: Path) -> None:
    with _fresh_pyphen(None):
        english = _counts("en_US")
    with _fresh_pyphen(tmp_path):
        assert _counts("xx_NOPE") == english


def test_cli_runs_keep_derived_tables_through_pruning(tmp_path: Path) -> None:
    """Every run that checks a file prunes the cache afterwards; the tables must survive it.

    In a new process: this one may have built its lemma table already, and would write none.
    """
    policy = Path(__file__).resolve().parents[1] / "examples" / "good" / "customer-service-policy.md"
    cache = tmp_path / "cache"
    command = [sys.executable, "-m", "policylint", "check", "--no-progress", "--cache-dir", str(cache)]
    done = subprocess.run([*command, str(policy)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(cache.glob("*/lemmas/en-*.json")) and list(cache.glob("*/hyphenation/en_US-*.json"))
