"""Compiled regular expressions kept between runs (policylint.regex_cache).

The cache may only save time. So the tests check that a preloaded pattern is served without
compiling and behaves exactly like a freshly compiled one, that anything doubtful (a pattern that
does not rebuild identically, a corrupt or foreign file, a refused entry) is left out, that the
library default touches no file, and that the CLI keeps the file in the user's cache, never in
the project's, so that a committed folder cannot feed the regex engine.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import uuid
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from policylint import regex_cache

ROOT = Path(__file__).resolve().parents[1]
POLICY = ROOT / "examples" / "good" / "customer-service-policy.md"
SAMPLE = "Call 555-0100 or write to Help@Example.com by 14 March 2026; we reply within 2 days.\n  Ünïcode ok"

pytestmark = pytest.mark.skipif(
    regex_cache._internals() is None, reason="this Python's re internals are not supported: the cache is off"
)


def _patterns() -> list[tuple[str, int]]:
    """Unique patterns (so nothing else in this process compiled them) covering the features a
    stored entry must carry: named and numbered groups, flags set inline and by argument, Unicode
    classes, lookbehind, backreferences, possessive-free repeats and a large character class."""
    tag = uuid.uuid4().hex
    return [
        (rf"(?P<user>[\w.+-]+)@(?P<host>[\w-]+\.\w+)(?#{tag})", 0),
        (rf"(?i)within\s+(\d+)\s+(days?|hours?)(?#{tag})", 0),
        (rf"(?<!\w)(?:march|april)\s+(\d{{4}})(?#{tag})", re.IGNORECASE),
        (rf"^\s+(\w)(?#{tag})", re.MULTILINE),
        (rf"(\d)-\1?(?#{tag})", 0),
        (rf"[\u00a0-\u024f\u0400-\u04ff]+(?#{tag})", 0),
        (rf"(?x) \d{{3}} - \d{{4}}  # a phone number {tag}", 0),
        (rf"(?s)we.reply(?#{tag})", 0),
        (rf"(?:a|b)*?c(?#{tag})", 0),
    ]


def _fresh(pattern: str, flags: int) -> re.Pattern[str]:
    """Compiled by Python itself, bypassing re's cache."""
    compiled: re.Pattern[str] = re._compiler.compile(pattern, flags)  # type: ignore[attr-defined]
    return compiled


def _forget(patterns: list[tuple[str, int]]) -> None:
    for pattern, flags in patterns:
        re._cache.pop((str, pattern, flags), None)  # type: ignore[attr-defined]


@pytest.fixture
def cache_dir(tmp_path: Path) -> Iterator[Path]:
    """regex_cache pointed at an empty folder, as in a new process (whose re cache has room for
    what is preloaded); restored afterwards."""
    previous = regex_cache.CACHE_DIR
    regex_cache.CACHE_DIR = tmp_path
    regex_cache.reset()
    re.purge()
    try:
        yield tmp_path
    finally:
        regex_cache.CACHE_DIR = previous
        regex_cache.reset()


def _store_patterns(patterns: list[tuple[str, int]]) -> None:
    regex_cache.preload()
    for pattern, flags in patterns:
        re.compile(pattern, flags)
    assert regex_cache.store() >= len(patterns)
    _forget(patterns)
    regex_cache.reset()


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("regex-*.json"))


def test_preloaded_patterns_are_served_without_compiling(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = _patterns()
    _store_patterns(patterns)
    assert len(_files(cache_dir)) == 1

    assert regex_cache.preload() >= len(patterns)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("compiled although the pattern was preloaded")

    monkeypatch.setattr(re._compiler, "compile", refuse)  # type: ignore[attr-defined]
    served = [re.compile(pattern, flags) for pattern, flags in patterns]
    monkeypatch.undo()
    for (pattern, flags), compiled in zip(patterns, served, strict=True):
        fresh = _fresh(pattern, flags)
        assert compiled == fresh
        assert (compiled.flags, compiled.groups, compiled.groupindex) == (
            fresh.flags,
            fresh.groups,
            fresh.groupindex,
        )
        assert [m.span() for m in compiled.finditer(SAMPLE)] == [m.span() for m in fresh.finditer(SAMPLE)]
        assert [m.groups() for m in compiled.finditer(SAMPLE)] == [m.groups() for m in fresh.finditer(SAMPLE)]
    _forget(patterns)


def test_preloading_leaves_room_in_the_re_cache(cache_dir: Path) -> None:
    """re evicts its oldest entry when full: preloading into a full cache would only push out
    patterns the run is using. So at most the room above HEADROOM is filled."""
    _store_patterns(_patterns())
    re.purge()
    tag = uuid.uuid4().hex
    maximum = re._MAXCACHE  # type: ignore[attr-defined]
    for i in range(maximum - regex_cache.HEADROOM - 3):
        re.compile(f"filler{i}-{tag}")
    assert regex_cache.preload() == 3
    assert len(re._cache) == maximum - regex_cache.HEADROOM  # type: ignore[attr-defined]
    re.purge()


def test_a_pattern_that_does_not_rebuild_identically_is_not_stored(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a rebuilt pattern that compares equal to Python's own is stored: here the rebuild is
    made to differ (as a changed internal would), so nothing may be written."""
    real = regex_cache._internals()
    assert real is not None

    def different_build(pattern: str, *args: Any) -> re.Pattern[str]:
        return real.build(pattern + "?", *args)

    monkeypatch.setattr(regex_cache, "_internals", lambda: real._replace(build=different_build))
    patterns = _patterns()
    regex_cache.preload()
    for pattern, flags in patterns:
        re.compile(pattern, flags)
    assert regex_cache.store() == 0
    assert _files(cache_dir) == []
    _forget(patterns)


def _write(folder: Path, entries: list[Any], python: str = sys.version) -> None:
    sre = regex_cache._internals()
    assert sre is not None
    (folder / f"regex-{sre.tag}.json").write_text(
        json.dumps({"python": python, "patterns": entries}), "utf-8"
    )


def _good_entry(pattern: str, flags: int) -> list[Any]:
    sre = regex_cache._internals()
    assert sre is not None
    entry = regex_cache._entry(sre, pattern, flags, _fresh(pattern, flags))
    assert entry is not None
    return entry


def test_corrupt_and_refused_entries_are_skipped_and_the_rest_load(cache_dir: Path) -> None:
    patterns = _patterns()
    good = [_good_entry(p, f) for p, f in patterns]
    sre = regex_cache._internals()
    assert sre is not None
    bogus_code = base64.b64encode(array(sre.typecode, [9999, 1, 2, 3]).tobytes()).decode()
    bad_pattern = f"x{uuid.uuid4().hex}"
    bad = [
        [bad_pattern, 0, 0, bogus_code, 0, {}, [None]],  # _sre.compile: invalid SRE code
        [bad_pattern, 0, 0, "not base64!", 0, {}, [None]],
        [bad_pattern, 0, 0, good[0][3], "one", {}, [None]],
        [bad_pattern, 0, 0, good[0][3], 0, {"g": "1"}, [None]],
        [["not", "a", "string"], 0, 0, good[0][3], 0, {}, [None]],
        ["too short"],
        "not a list",
        None,
    ]
    _write(cache_dir, [*bad[:4], good[0], *bad[4:], *good[1:]])
    assert regex_cache.preload() == len(good)
    assert (str, bad_pattern, 0) not in re._cache  # type: ignore[attr-defined]
    for pattern, flags in patterns:
        assert re._cache[(str, pattern, flags)] == _fresh(pattern, flags)  # type: ignore[attr-defined]

    # The refused pattern, compiled by this run, is stored anew with a good entry.
    re.compile(bad_pattern)
    regex_cache.MIN_NEW_PATTERNS, saved = 1, regex_cache.MIN_NEW_PATTERNS
    try:
        assert regex_cache.store() >= 1
    finally:
        regex_cache.MIN_NEW_PATTERNS = saved
    _forget([*patterns, (bad_pattern, 0)])
    regex_cache.reset()
    assert regex_cache.preload() == len(good) + 1
    assert re._cache[(str, bad_pattern, 0)] == _fresh(bad_pattern, 0)  # type: ignore[attr-defined]
    _forget([*patterns, (bad_pattern, 0)])


@pytest.mark.parametrize(
    "content",
    ["", "{not json", "[]", '{"python": "2.7.18", "patterns": []}', '{"patterns": "nope"}', "\x00\xff"],
)
def test_unreadable_or_foreign_files_are_ignored(cache_dir: Path, content: str) -> None:
    sre = regex_cache._internals()
    assert sre is not None
    (cache_dir / f"regex-{sre.tag}.json").write_text(content, "utf-8")
    assert regex_cache.preload() == 0


def test_an_oversized_file_is_not_read(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    patterns = _patterns()
    _write(cache_dir, [_good_entry(p, f) for p, f in patterns])
    monkeypatch.setattr(regex_cache, "MAX_FILE_BYTES", 100)
    assert regex_cache.preload() == 0


def test_another_python_version_is_not_loaded(cache_dir: Path) -> None:
    patterns = _patterns()
    _write(cache_dir, [_good_entry(p, f) for p, f in patterns], python="3.99.0 (another build)")
    assert regex_cache.preload() == 0
    assert all((str, p, f) not in re._cache for p, f in patterns)  # type: ignore[attr-defined]


def test_a_run_with_few_new_patterns_does_not_rewrite_the_file(cache_dir: Path) -> None:
    _store_patterns(_patterns())
    (stored,) = _files(cache_dir)
    before = stored.read_bytes()
    regex_cache.preload()
    few = _patterns()[: regex_cache.MIN_NEW_PATTERNS - 1]
    for pattern, flags in few:
        re.compile(pattern, flags)
    assert regex_cache.store() == 0
    assert stored.read_bytes() == before
    _forget(few)


def test_new_patterns_go_first_and_the_file_stays_bounded(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex_cache, "MAX_PATTERNS", 12)
    first, second = _patterns(), _patterns()
    re.purge()  # so that only these patterns are new to the file
    _store_patterns(first)
    re.purge()
    _store_patterns(second)
    (stored,) = _files(cache_dir)
    kept = [(e[0], e[1]) for e in json.loads(stored.read_text("utf-8"))["patterns"]]
    assert kept == second + first[:3]


def test_the_library_default_reads_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(regex_cache, "CACHE_DIR", None)
    regex_cache.reset()
    try:
        patterns = _patterns()
        assert regex_cache.preload() == 0
        for pattern, flags in patterns:
            re.compile(pattern, flags)
        assert regex_cache.store() == 0
        _forget(patterns)
    finally:
        regex_cache.reset()
    assert list(tmp_path.iterdir()) == []


def _cli(tmp_path: Path, *args: str, seed: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(tmp_path / "home-cache"),
        "POLICYLINT_CACHE_DIR": str(tmp_path / "project-cache"),
        "PYTHONHASHSEED": seed,
    }
    command = [sys.executable, "-m", "policylint", "check", "--no-progress", "--fail-on", "never", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, env=env, cwd=tmp_path)


def test_the_cli_keeps_patterns_in_the_user_cache_and_finds_them_again(tmp_path: Path) -> None:
    """In new processes with different hash seeds: the second run must find every pattern the
    first stored (so it writes nothing), which also holds our patterns' text to not depending on
    set order. The project's cache folder never holds compiled patterns."""
    policy = tmp_path / "policy.md"
    policy.write_text(POLICY.read_text("utf-8"), "utf-8")
    first = _cli(tmp_path, str(policy), seed="1")
    assert first.returncode == 0, first.stderr
    (stored,) = (tmp_path / "home-cache" / "policylint").glob("regex-*.json")
    assert not list((tmp_path / "project-cache").rglob("regex-*"))
    count = len(json.loads(stored.read_text("utf-8"))["patterns"])
    assert count > 100  # spaCy's tokenizer, the rules and language packs
    written = stored.stat().st_ino, stored.read_bytes()

    # Edited, so that it is checked again rather than taken from the result cache.
    policy.write_text(policy.read_text("utf-8") + "\nWe reply promptly.\n", "utf-8")
    second = _cli(tmp_path, "--format", "json", str(policy), seed="2")
    assert second.returncode == 0, second.stderr
    assert (stored.stat().st_ino, stored.read_bytes()) == written  # not rewritten (only touched)
    fresh = _cli(tmp_path, "--format", "json", "--no-cache", str(policy), seed="3")
    assert json.loads(second.stdout) == json.loads(fresh.stdout)


def test_no_cache_leaves_the_user_cache_alone(tmp_path: Path) -> None:
    done = _cli(tmp_path, "--no-cache", str(POLICY), seed="0")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "home-cache").exists()


def test_the_user_cache_folder_follows_the_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from policylint.cache import user_cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert user_cache_dir() == tmp_path / "policylint"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert user_cache_dir() == tmp_path / "home" / ".cache" / "policylint"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_cache_dir() == tmp_path / "home" / "Library" / "Caches" / "policylint"


def test_files_of_other_pythons_are_pruned_only_when_unused(cache_dir: Path) -> None:
    """A file another Python version still uses is touched by each of its runs; one untouched
    for MAX_AGE_SECONDS is deleted when this Python writes its own."""
    stale, used = cache_dir / "regex-0000000000000000.json", cache_dir / "regex-1111111111111111.json"
    for other in (stale, used):
        other.write_text('{"python": "another", "patterns": []}', "utf-8")
    long_ago = 1_000_000_000
    os.utime(stale, (long_ago, long_ago))
    _store_patterns(_patterns())
    assert not stale.exists() and used.exists()

    sre = regex_cache._internals()
    assert sre is not None
    mine = regex_cache._path(sre, cache_dir)
    os.utime(mine, (long_ago, long_ago))
    re.purge()
    regex_cache.reset()
    assert regex_cache.preload() > 0
    assert mine.stat().st_mtime > long_ago  # touched when used
