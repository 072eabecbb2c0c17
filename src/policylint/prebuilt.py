"""Derived data shipped inside the package, so that a first run does not derive it again.

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


def derive() -> dict[str, bytes]:
    """Every file ``_prebuilt/`` should hold, by name, from the installed packs and libraries."""
    import pyphen

    from .locations import builtin_rules_dir
    from .nlp import (
        full_lemma_table,
        lookups_dir,
        lookups_file,
        lookups_version,
        reduce_table,
        vocabulary_words,
    )
    from .packs import load_catalog, parse_toml
    from .readability import hyphenation_code, plain_patterns

    lookups = lookups_dir()
    if lookups is None:
        raise SystemExit(
            "deriving the shipped lemma tables needs spacy-lookups-data: pip install -e '.[test]'"
        )
    files: dict[str, bytes] = {}
    lemma_languages = sorted(
        p.name.removesuffix("_lemma_lookup.json.gz") for p in lookups.glob("*_lemma_lookup.json.gz")
    )
    files[LEMMA_LANGUAGES] = encode({"spacy_lookups_data": lookups_version(), "languages": lemma_languages})
    for path in sorted(builtin_rules_dir().rglob("*.toml")):
        raw = path.read_bytes()
        data = parse_toml(path, raw)
        try:
            files[pack_name(raw)] = encode(data)
        except (TypeError, ValueError):  # a TOML date or time has no JSON form: parsed each time
            continue
    for pack in load_catalog().languages.values():  # every built-in language, as nlp and readability ask
        lang = pack.language.spacy
        table = lookups_file(lang)
        if table is not None:
            words = vocabulary_words(pack.rules)
            reduced = reduce_table(full_lemma_table(lang), words)
            files[lemma_name(lang, words)] = encode(reduced)
        code = hyphenation_code(pack.code, pack.readability.hyphenation)
        dictionary = pyphen.language_fallback(code) or "en_US"
        source = Path(pyphen.LANGUAGES[dictionary])
        plain = plain_patterns(pyphen.HyphDict(source))
        if plain is not None:
            files[hyphenation_name(dictionary, pyphen.__version__, source.read_bytes())] = encode(plain)
    return files


def write(folder: Path = FOLDER, wanted: dict[str, bytes] | None = None) -> tuple[list[str], list[str]]:
    """Make ``folder`` hold exactly ``wanted`` (by default what :func:`derive` gives); returns the
    names written and removed."""
    folder.mkdir(parents=True, exist_ok=True)
    if wanted is None:
        wanted = derive()
    written: list[str] = []
    for name, data in sorted(wanted.items()):
        target = folder / f"{name}.json.gz"
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
            written.append(name)
    removed = []
    for stale in sorted(folder.glob("*.json.gz")):
        if stale.name.removesuffix(".json.gz") not in wanted:
            stale.unlink()
            removed.append(stale.name)
    return written, removed


def main() -> int:
    written, removed = write()
    for name in written:
        print(f"wrote {FOLDER.name}/{name}.json.gz")
    for name in removed:
        print(f"removed {FOLDER.name}/{name}")
    if not written and not removed:
        print(f"{FOLDER.name}/ is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
