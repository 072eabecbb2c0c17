"""Compiled regular expressions kept between runs, as ``.pyc`` files keep compiled code.

Why: before it checks a word, a run compiles about 350 regular expressions. spaCy's tokenizer
alone compiles its prefix, suffix, infix and URL patterns, whose huge Unicode character classes
take about 45 ms; our rule and language-pack patterns take about 55 ms more. Python keeps compiled
patterns only in memory (``re``'s own cache), so every process paid this again; for the
one-file pre-commit run it was a tenth of the wall time.

How: after a run, each pattern in ``re``'s cache is stored with the SRE code Python compiled it
to (``re._compiler.parse`` and ``_code``, the two halves of ``re.compile``), but only if that code
rebuilt with ``_sre.compile`` compares equal to the pattern Python compiled itself. At the next
start the patterns are rebuilt from their code, about 15 ms for all of them, and put into
``re``'s cache, so that ``re.compile`` finds them there, whoever calls it.

Where: the user's cache folder (cache.user_cache_dir), never a project's ``.policylint_cache``.
A project folder can be committed by anyone, and SRE code is run by the regular-expression
engine; CPython validates it, but that check was written against compiler bugs, not crafted
input. A file there is as trusted as the user's own ``~/.cache``.

Any surprise means patterns compile as usual: another Python implementation or version (the file
name is derived from the exact version and SRE's magic number), a Python whose ``re`` internals
differ, an unreadable or corrupt file, an entry ``_sre.compile`` refuses. The cache can only cost
or save time; a pattern it cannot reproduce exactly is never stored.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib
import json
import logging
import os
import re
import sys
import time
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .atomic import write_text_atomically

log = logging.getLogger(__name__)

#: Where compiled patterns are kept between runs; None (the library default) reads and writes
#: nothing. The CLI points it at the user's cache folder when its cache is on.
CACHE_DIR: Path | None = None
#: At most this many patterns are stored (Python's own cache holds 512 in 3.10-3.13).
MAX_PATTERNS = 450
#: A larger file is ignored (ours are about 1 MB for MAX_PATTERNS patterns).
MAX_FILE_BYTES = 8 * 1024 * 1024
#: Room left in ``re``'s cache for the run's other patterns when preloading.
HEADROOM = 64
#: A run writes the file only when it compiled at least this many patterns the file lacks. A few
#: new ones are not worth rewriting a 1 MB file for, and some patterns differ in every process
#: (the standard library's tokenize builds one from a set, whose order follows the hash seed):
#: storing those each run would slowly push useful patterns out.
MIN_NEW_PATTERNS = 8
#: Files for other Python versions not used (read or written) for this long are deleted on a write.
MAX_AGE_SECONDS = 30 * 24 * 3600

#: Keys (pattern, flags) stored in our file as far as this process knows; None until preload ran.
_known: set[tuple[str, int]] | None = None
#: How many patterns the last preload put into re's cache (for --timings).
_preloaded = 0


class _Sre(NamedTuple):
    """The parts of CPython's ``re`` this module relies on (absent on other implementations)."""

    parse: Callable[[str, int], Any]
    code: Callable[[Any, int], list[int]]
    build: Callable[..., re.Pattern[str]]
    cache: dict[Any, Any]
    max_cache: int
    typecode: str
    tag: str


def _internals() -> _Sre | None:
    if sys.implementation.name != "cpython":
        return None
    try:
        sre_module = importlib.import_module("_sre")
        try:  # Python 3.11+
            compiler, parser = importlib.import_module("re._compiler"), importlib.import_module("re._parser")
        except ImportError:  # pragma: no cover - Python 3.10
            compiler, parser = importlib.import_module("sre_compile"), importlib.import_module("sre_parse")
        parse, code, build = parser.parse, compiler._code, sre_module.compile
        cache, max_cache = getattr(re, "_cache"), int(getattr(re, "_MAXCACHE"))  # noqa: B009
        magic, codesize = int(sre_module.MAGIC), int(sre_module.CODESIZE)
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    typecode = next((t for t in "ILQ" if array(t).itemsize == codesize), None)
    if not isinstance(cache, dict) or typecode is None:
        return None
    tag = hashlib.sha256(f"{sys.version}|{magic}|{codesize}|{sys.byteorder}".encode()).hexdigest()[:16]
    return _Sre(parse, code, build, cache, max_cache, typecode, tag)


def _path(sre: _Sre, folder: Path) -> Path:
    return folder / f"regex-{sre.tag}.json"


def _read_entries(path: Path) -> list[Any]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return []  # not one we wrote: reading it would cost more than compiling
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("python") != sys.version:
        return []
    entries = data.get("patterns")
    return entries if isinstance(entries, list) else []


def _key_of(entry: Any) -> tuple[str, int] | None:
    """The (pattern, flags) of a stored entry of the right shape, else None (a damaged entry)."""
    if (
        isinstance(entry, list)
        and len(entry) == 7
        and isinstance(entry[0], str)
        and isinstance(entry[1], int)
    ):
        return entry[0], entry[1]
    return None


def _rebuild(sre: _Sre, entry: list[Any]) -> re.Pattern[str] | None:
    """A stored entry compiled again from its SRE code; None if it is malformed or refused."""
    try:
        pattern, _flags, final_flags, code, groups, groupindex, indexgroup = entry
        if not isinstance(final_flags, int) or not isinstance(groups, int):
            return None
        if not isinstance(groupindex, dict) or not isinstance(indexgroup, list):
            return None
        if not all(isinstance(k, str) and isinstance(v, int) for k, v in groupindex.items()):
            return None
        if not all(name is None or isinstance(name, str) for name in indexgroup):
            return None
        words = array(sre.typecode)
        words.frombytes(base64.b64decode(code, validate=True))
        return sre.build(pattern, final_flags, words.tolist(), groups, groupindex, tuple(indexgroup))
    except Exception:  # RuntimeError (invalid SRE code), TypeError, ValueError, binascii.Error...
        return None


def preload() -> int:
    """Put the stored patterns into ``re``'s cache (once per process); returns how many.

    Called before a check builds anything, so spaCy's tokenizer and our rules find their
    patterns compiled. A no-op when CACHE_DIR is None.
    """
    global _known
    if _known is not None or CACHE_DIR is None:
        return 0
    _known = set()
    sre = _internals()
    if sre is None:
        return 0
    room = max(0, sre.max_cache - len(sre.cache) - HEADROOM)
    loaded = 0
    path = _path(sre, CACHE_DIR)
    entries = _read_entries(path)
    if entries:
        with contextlib.suppress(OSError):
            os.utime(path)  # in use: another Python's run must not prune it as stale
    for entry in entries:
        key = _key_of(entry)
        if key is None:
            continue
        pattern, flags = key
        _known.add(key)
        if loaded >= room or (str, pattern, flags) in sre.cache:
            continue  # compiled already (a forked server child), or no room: not rebuilt
        compiled = _rebuild(sre, entry)
        if compiled is None:
            _known.discard((pattern, flags))  # if this run compiles it, store a good entry
            continue
        sre.cache[(str, pattern, flags)] = compiled
        loaded += 1
    global _preloaded
    _preloaded = loaded
    return loaded


def preloaded() -> int:
    """How many patterns this process's preload put into re's cache (0 before or without one)."""
    return _preloaded


def _entry(sre: _Sre, pattern: str, flags: int, compiled: re.Pattern[str]) -> list[Any] | None:
    """The stored form of a compiled pattern, or None unless rebuilding it gives the same pattern."""
    try:
        parsed = sre.parse(pattern, flags)
        code = sre.code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        final_flags = flags | parsed.state.flags
        groups = parsed.state.groups - 1
        rebuilt = sre.build(pattern, final_flags, code, groups, groupindex, tuple(indexgroup))
        words = array(sre.typecode, code).tobytes()
    except Exception:  # an internal that changed shape: do not store this one
        return None
    if rebuilt != compiled or rebuilt.groupindex != compiled.groupindex or rebuilt.groups != compiled.groups:
        return None
    encoded = base64.b64encode(words).decode("ascii")
    return [pattern, flags, final_flags, encoded, groups, groupindex, indexgroup]


def store() -> int:
    """After a run: add the patterns this process compiled that the file lacks; returns how many.

    Does nothing unless :func:`preload` ran in this process, or when fewer than
    MIN_NEW_PATTERNS are new (a run whose files all came from the result cache compiles few).
    Never raises for I/O.
    """
    if CACHE_DIR is None or _known is None:
        return 0
    sre = _internals()
    if sre is None:
        return 0
    new = [
        (key[1], key[2], compiled)
        for key, compiled in list(sre.cache.items())
        if isinstance(key, tuple)
        and len(key) == 3
        and key[0] is str
        and isinstance(key[2], int)
        and isinstance(compiled, re.Pattern)
        and (key[1], key[2]) not in _known
    ]
    if len(new) < MIN_NEW_PATTERNS:
        return 0
    fresh = [e for e in (_entry(sre, p, f, c) for p, f, c in new) if e is not None]
    _known.update((p, f) for p, f, _ in new)  # not reproducible ones too: do not try them again
    if not fresh:
        return 0
    path = _path(sre, CACHE_DIR)
    seen = {(e[0], e[1]) for e in fresh}
    older = [e for e in _read_entries(path) if (key := _key_of(e)) is not None and key not in seen]
    entries = (fresh + older)[:MAX_PATTERNS]
    try:
        write_text_atomically(path, json.dumps({"python": sys.version, "patterns": entries}))
    except OSError as exc:
        log.debug("could not store compiled patterns in %s: %s", path, exc)
        return 0
    _prune(CACHE_DIR, keep=path)
    return len(fresh)


def _prune(folder: Path, keep: Path) -> None:
    """Delete other Pythons' pattern files not used for MAX_AGE_SECONDS (preload touches them)."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for other in folder.glob("regex-*.json"):
        if other != keep:
            with contextlib.suppress(OSError):
                if other.stat().st_mtime < cutoff:
                    other.unlink()


def reset() -> None:
    """Forget what this process preloaded (tests; a library caller switching CACHE_DIR)."""
    global _known, _preloaded
    _known = None
    _preloaded = 0
