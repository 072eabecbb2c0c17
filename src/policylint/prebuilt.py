"""Derive the data shipped in ``_prebuilt/`` (``python -m policylint.prebuilt``): build-time only.

Nothing that checks a policy imports this module. The run-time side, which names the files and
reads them, is shipped.py, below the modules that use the data (packs, nlp, readability); this
module derives the data from those same modules, so it stands above them. See shipped.py for what
is shipped and why. Run it after editing a built-in pack; tests/test_prebuilt.py fails when the
shipped data is stale.
"""

from __future__ import annotations

from pathlib import Path

from . import shipped
from .shipped import LEMMA_LANGUAGES, encode, hyphenation_name, lemma_name, pack_name


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


def write(folder: Path | None = None, wanted: dict[str, bytes] | None = None) -> tuple[list[str], list[str]]:
    """Make ``folder`` (by default ``_prebuilt/``) hold exactly ``wanted`` (by default what
    :func:`derive` gives); returns the names written and removed."""
    folder = folder if folder is not None else shipped.FOLDER
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
        print(f"wrote {shipped.FOLDER.name}/{name}.json.gz")
    for name in removed:
        print(f"removed {shipped.FOLDER.name}/{name}")
    if not written and not removed:
        print(f"{shipped.FOLDER.name}/ is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
