"""Derived data cached between CLI runs: parsed Pyphen patterns, reduced lemma tables and parsed
rule packs.

All only save start-up time, so the tests check three things: a count is the same from the cache
as from Pyphen's own parsing, a bad cache file falls back to parsing, and the files survive the
pruning that follows every run that checked something. The data policylint ships already derived
(tests/test_prebuilt.py) is hidden in every test here, the CLI test's subprocess included: it
would answer first and leave nothing to cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyphen
import pytest

from policylint import packs, readability, shipped
from policylint.errors import RulePackError
from policylint.locations import builtin_rules_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # the same fallback as policylint.packs
    import tomli as tomllib

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


@pytest.fixture(autouse=True)
def _nothing_shipped(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if policylint shipped no derived data, so the caches are what is tested."""
    monkeypatch.setattr(shipped, "FOLDER", tmp_path_factory.mktemp("nothing-shipped"))


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

    In a new process: this one may have built its lemma table already, and would write none. The
    command runs as ``python -m policylint`` does, but with the shipped data hidden (an empty
    folder), since it would answer first and leave nothing to cache.
    """
    policy = Path(__file__).resolve().parents[1] / "examples" / "good" / "customer-service-policy.md"
    cache = tmp_path / "cache"
    argv = ["policylint", "check", "--no-progress", "--cache-dir", str(cache), str(policy)]
    nothing = tmp_path / "nothing-shipped"
    nothing.mkdir()
    script = (
        "import pathlib, sys; from policylint import cli, shipped; "
        f"shipped.FOLDER = pathlib.Path({str(nothing)!r}); sys.argv = {argv!r}; sys.exit(cli.entry())"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(cache.glob("*/lemmas/en-*.json")) and list(cache.glob("*/hyphenation/en_US-*.json"))
    assert len(list(cache.glob("*/packs/*.json"))) == len(list(builtin_rules_dir().rglob("*.toml")))


@contextlib.contextmanager
def _pack_cache(cache_dir: Path | None) -> Iterator[None]:
    previous = packs.PARSED_CACHE_DIR
    packs.PARSED_CACHE_DIR = cache_dir
    try:
        yield
    finally:
        packs.PARSED_CACHE_DIR = previous


def _parsed_builtin_packs() -> dict[str, object]:
    return {str(path): packs._read_toml(path) for path in sorted(builtin_rules_dir().rglob("*.toml"))}


def test_cached_packs_read_back_exactly_as_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with _pack_cache(None):
        expected = _parsed_builtin_packs()
    with _pack_cache(tmp_path):
        assert _parsed_builtin_packs() == expected  # parsed by tomllib, then written
        assert len(list(tmp_path.glob("*.json"))) == len(expected)

        def refuse(text: str) -> object:
            raise AssertionError("the cached parse was not used")

        monkeypatch.setattr(tomllib, "loads", refuse)
        assert _parsed_builtin_packs() == expected


def test_an_edited_or_corrupt_pack_cache_is_a_miss(tmp_path: Path) -> None:
    pack = tmp_path / "mine.toml"
    pack.write_text('[[rule]]\nid = "mine.one"\nmessage = """two\r\nlines"""\n', encoding="utf-8", newline="")
    cache = tmp_path / "cache"
    with _pack_cache(cache):
        first = packs._read_toml(pack)
        assert first["rule"][0]["message"] == "two\nlines"  # universal newlines, as read_text gave
        assert len(list(cache.glob("*.json"))) == 1
        pack.write_text('[[rule]]\nid = "mine.two"\n', encoding="utf-8")
        assert packs._read_toml(pack)["rule"][0]["id"] == "mine.two"
        for stale in cache.glob("*.json"):
            stale.write_text("{not json", encoding="utf-8")
        assert packs._read_toml(pack)["rule"][0]["id"] == "mine.two"
        rewritten = [f.read_text(encoding="utf-8") for f in cache.glob("*.json")]
        assert sorted(rewritten)[0] == '{"rule": [{"id": "mine.two"}]}'  # the current pack, parsed again


def test_packs_with_toml_dates_are_parsed_every_time(tmp_path: Path) -> None:
    """JSON has no date type: such a pack is not cached rather than read back as a string."""
    pack = tmp_path / "dated.toml"
    pack.write_text("reviewed = 2026-01-31\n", encoding="utf-8")
    with _pack_cache(tmp_path / "cache"):
        assert packs._read_toml(pack) == {"reviewed": dt.date(2026, 1, 31)}
        assert packs._read_toml(pack) == {"reviewed": dt.date(2026, 1, 31)}
    assert not list((tmp_path / "cache").glob("*.json"))


def test_pack_errors_still_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("this is = = not toml", encoding="utf-8")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with _pack_cache(tmp_path / "cache"):
        with pytest.raises(RulePackError, match=r"bad\.toml: not valid TOML"):
            packs._read_toml(bad)
        with pytest.raises(RulePackError, match=r"latin\.toml: cannot read rule pack: not UTF-8"):
            packs._read_toml(latin)
        with pytest.raises(RulePackError, match=r"missing\.toml: cannot read rule pack"):
            packs._read_toml(tmp_path / "missing.toml")
