"""Derived data shipped inside the package, so that a first run does not derive it again: the
run-time reader (file names and :func:`read`). Deriving it is build-time work, in prebuilt.py
(``python -m policylint.prebuilt``), which imports the modules that read through this one.

A fresh CI machine, a new virtual environment and every ``--no-cache`` run start with nothing
cached, and used to rebuild the same things on every process start: the parsed built-in rule
packs (tomllib, 0.04 s), each built-in language's lemma table reduced to its pack's vocabulary
(reading the whole lookups table: 0.02 s for English's 41,582 forms, 0.8 s for Danish, 2.1 s for
Croatian's 1.3 million) and Pyphen's parsed hyphenation patterns (0.09 s for US English, 0.5 s
for German). They depend only on files policylint and its dependencies install, so they are
derived once, by ``python -m policylint.prebuilt``, and shipped in ``_prebuilt/`` like the
``.pyc`` files pip compiles at install time.

Pack parses and hyphenation patterns are named by a digest of exactly what they were derived
from (the TOML bytes; Pyphen's version and dictionary bytes): an edited pack, a user's own pack,
another Pyphen release finds no file and is derived as before (and cached, when the cache is on).

Lemma tables are named by the language code and a digest of the pack's vocabulary only, not of
the lookups table, so that they can be found without spacy-lookups-data installed: that package
(99 MB) is the optional extra ``policylint[lookups]``, needed only by a pack whose vocabulary has
no shipped table. ``lemma-languages`` records which spacy-lookups-data release the tables were
reduced from and which languages it has a lemma table for (a pack of a language it has none for
needs nothing). tests/test_prebuilt.py fails when a built-in pack changed and its data was not
regenerated, and checks that the shipped lemma tables and hyphenation patterns are what the
installed libraries give (skipping the lemmas when another spacy-lookups-data release is
installed than the one they were reduced from).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).with_name("_prebuilt")


def _digest(*parts: bytes) -> str:
    sha = hashlib.sha256()
    for part in parts:
        sha.update(len(part).to_bytes(8, "big"))  # so that ("ab", "c") and ("a", "bc") differ
        sha.update(part)
    return sha.hexdigest()[:32]


def pack_name(toml_bytes: bytes) -> str:
    return f"pack-{_digest(toml_bytes)}"


def lemma_name(lang: str, words: frozenset[str]) -> str:
    vocabulary = "\n".join(sorted(words)).encode()
    return f"lemmas-{lang}-{_digest(vocabulary)}"


#: Which spacy-lookups-data release the shipped lemma tables come from, and its lemma languages.
LEMMA_LANGUAGES = "lemma-languages"


def hyphenation_name(dictionary: str, pyphen_version: str, dic_bytes: bytes) -> str:
    return f"hyphenation-{dictionary}-{_digest(pyphen_version.encode(), dic_bytes)}"


def read(name: str) -> Any:
    """The shipped data called ``name``, or None when there is none or it cannot be read."""
    try:
        return json.loads(gzip.decompress((FOLDER / f"{name}.json.gz").read_bytes()))
    except (OSError, EOFError, zlib.error, ValueError):  # missing, truncated, not gzip, not JSON
        return None


def encode(data: Any) -> bytes:
    """How a file in ``_prebuilt/`` is written: compact JSON, gzipped with no timestamp, so that
    regenerating unchanged data gives the same bytes. Keys keep their order (not sorted): a
    pack's tables are read in the order they are written."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
