"""The derived data shipped in policylint/_prebuilt/ (read by shipped.py, derived by prebuilt.py):
current, used, and harmless when it does not fit."""

from __future__ import annotations

import gzip
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from policylint import nlp, prebuilt, shipped
from policylint.locations import builtin_rules_dir
from policylint.packs import parse_toml

REGENERATE = "run `python -m policylint.prebuilt` and commit src/policylint/_prebuilt/"


@pytest.fixture(scope="module")
def derived() -> dict[str, bytes]:
    return prebuilt.derive()


def _shipped() -> dict[str, bytes]:
    return {p.name.removesuffix(".json.gz"): p.read_bytes() for p in shipped.FOLDER.glob("*.json.gz")}


def test_every_built_in_pack_ships_parsed_and_nothing_stale(derived: dict[str, bytes]) -> None:
    packs = sorted(builtin_rules_dir().rglob("*.toml"))
    assert len(packs) >= 20
    on_disk = _shipped()
    for path in packs:
        name = shipped.pack_name(path.read_bytes())
        assert name in on_disk, f"{path.name} changed but its shipped parse did not: {REGENERATE}"
        assert shipped.read(name) == parse_toml(path, path.read_bytes())
    stale = sorted(n for n in on_disk if n.startswith("pack-") and n not in derived)
    assert not stale, f"shipped parses of packs that no longer exist: {stale}; {REGENERATE}"


@pytest.mark.parametrize("kind", ["lemmas", "hyphenation"])
def test_shipped_language_data_is_what_the_installed_libraries_give(
    kind: str, derived: dict[str, bytes]
) -> None:
    expected = {n: data for n, data in derived.items() if n.startswith(kind + "-")}
    assert len(expected) >= 5, f"{kind} derived for only {sorted(expected)}"  # en, da, nb, hr, et, de
    on_disk = _shipped()
    if kind == "lemmas":
        index = shipped.read(shipped.LEMMA_LANGUAGES)
        if index["spacy_lookups_data"] != nlp.lookups_version():
            # Lemma files are named by language and vocabulary only (so that they are found
            # without spacy-lookups-data): another release could give other tables.
            pytest.skip(
                f"the shipped lemma tables come from spacy-lookups-data {index['spacy_lookups_data']}"
            )
        assert on_disk[shipped.LEMMA_LANGUAGES] == derived[shipped.LEMMA_LANGUAGES], REGENERATE
        stale = sorted(n for n in on_disk if n.startswith("lemmas-") and n not in expected)
        assert not stale, f"shipped lemma tables no built-in pack uses: {stale}; {REGENERATE}"
    missing = sorted(name for name in expected if name not in on_disk)
    for name in expected.keys() - set(missing):
        assert gzip.decompress(on_disk[name]) == gzip.decompress(expected[name]), name
    if kind == "lemmas":  # a pack's vocabulary changed: without the data, it needs policylint[lookups]
        assert not missing, f"no shipped lemma table for {missing}; {REGENERATE}"
    if missing:
        # Another Pyphen release than the one the data was made from: runs derive it as before
        # (slower on a cold start, same results).
        pytest.skip(f"no shipped {kind} for the installed library versions ({missing}); {REGENERATE}")


def test_regenerating_unchanged_data_writes_the_same_bytes(tmp_path: Path, derived: dict[str, bytes]) -> None:
    written, removed = prebuilt.write(tmp_path, derived)
    assert sorted(written) == sorted(derived) and removed == []
    (tmp_path / "pack-gone.json.gz").write_bytes(b"")
    assert prebuilt.write(tmp_path, prebuilt.derive()) == (
        [],
        ["pack-gone.json.gz"],
    )  # derived again: same bytes
    assert {p.name.removesuffix(".json.gz"): p.read_bytes() for p in tmp_path.iterdir()} == derived


def test_a_cold_start_reads_the_shipped_data_instead_of_deriving_it(derived: dict[str, bytes]) -> None:
    """In a fresh process with no cache: parsing TOML, reading a full lemma table or parsing a
    Pyphen dictionary would raise; loading the catalog, and the lemmas and hyphenation of every
    built-in language (Croatian's lookups table alone took 2.1 s to read), must need none of them."""
    if not derived.keys() <= _shipped().keys():
        pytest.skip(f"the shipped data is not for the installed packs and libraries; {REGENERATE}")
    script = textwrap.dedent(
        """
        import tomllib, pyphen
        from policylint import nlp, readability

        def refuse(*args, **kwargs):
            raise AssertionError("derived again instead of read from _prebuilt")

        tomllib.loads = refuse
        pyphen.HyphDict.__init__ = refuse
        nlp.full_lemma_table = refuse
        from policylint.packs import load_catalog

        catalog = load_catalog()
        for code, pack in catalog.languages.items():
            nlp.lemma_table(pack.language.spacy, nlp.vocabulary_words(pack.rules))
            readability.hyphenator(readability.hyphenation_code(code, pack.readability.hyphenation))
        table = nlp.lemma_table("en", nlp.vocabulary_words(catalog.languages["en"].rules))
        assert table["obtained"] == "obtain", table.get("obtained")
        assert readability.syllables("information", "en_US") == 4
        print("ok")
        """
    )
    if sys.version_info < (3, 11):
        script = script.replace("import tomllib", "import tomli as tomllib")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


def test_a_damaged_or_foreign_shipped_file_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policylint import packs

    pack = builtin_rules_dir() / "jargon.toml"
    raw = pack.read_bytes()
    monkeypatch.setattr(shipped, "FOLDER", tmp_path)
    monkeypatch.setattr(packs, "PARSED_CACHE_DIR", None)
    name = shipped.pack_name(raw)
    for damaged in (b"", b"not gzip", gzip.compress(b"{not json"), gzip.compress(b"[1, 2]")):
        (tmp_path / f"{name}.json.gz").write_bytes(damaged)
        assert packs._read_toml(pack) == parse_toml(pack, raw)
    assert shipped.read("nothing-by-this-name") is None
    # A pack whose bytes differ by one character is another pack: no shipped file is used.
    assert shipped.pack_name(raw + b"\n") != shipped.pack_name(raw)
