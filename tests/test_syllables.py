"""Our Liang counter against Pyphen: the same syllable count for every word and dictionary.

readability counts syllables as hyphenation points + 1 with its own walk over Pyphen's parsed
patterns (faster than ``Pyphen.positions``). Any difference would change readability scores, so
these tests compare the two on every word policylint's own texts contain (the shared corpus,
the test fixtures, the examples), on generated words with non-ASCII letters and apostrophes, and
on every dictionary Pyphen ships, including the nonstandard ones whose values carry data and
the few whose patterns place values past their own letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

import pyphen
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES, ROOT
from policylint import readability

_TEXT_SUFFIXES = {".md", ".txt", ".html", ".htm"}


def _codes() -> list[str]:
    """Every dictionary code policylint itself uses: the language table and the rule packs."""
    codes = set(readability._HYPHENATION.values())
    for pack in (ROOT / "rules").rglob("*.toml"):
        codes.update(re.findall(r'^hyphenation\s*=\s*"([^"]+)"', pack.read_text("utf-8"), re.MULTILINE))
    return sorted(codes)


CODES = _codes()


def _words(paths: Iterable[Path]) -> list[str]:
    """The words readability counts in these files, as it counts them (lowercased)."""
    words: set[str] = set()
    for path in paths:
        if path.is_file() and path.suffix.lower() in _TEXT_SUFFIXES:
            text = path.read_text("utf-8", errors="replace")
            words.update(map(str.lower, readability._WORD.findall(text)))
    return sorted(words)


def _pyphen_count(code: str, word: str) -> int:
    return len(pyphen.Pyphen(lang=code).positions(word)) + 1


@cache
def _pair(code: str) -> tuple[Any, readability.LiangCount]:
    """Pyphen and a counter of our own over its patterns, built here rather than taken from
    readability, so that no count cached there can hide a difference."""
    hyph = pyphen.Pyphen(lang=code)
    return hyph, readability.LiangCount(hyph.hd.patterns, hyph.hd.maxlen, hyph.left, hyph.right)


def _mismatches(code: str, words: Iterable[str]) -> list[tuple[str, int, int]]:
    """(word, ours, Pyphen's) for each word the two count differently."""
    hyph, ours = _pair(code)
    return [(w, ours(w), n) for w in words if ours(w) != (n := len(hyph.positions(w)) + 1)]


def test_the_codes_include_every_language_policylint_ships() -> None:
    assert {"en_US", "da_DK", "nb_NO", "nn_NO", "hr_HR", "et_EE", "de_DE"} <= set(CODES)


@pytest.mark.parametrize("code", CODES)
def test_policylint_counts_with_its_own_walk(code: str) -> None:
    """Otherwise the comparisons below would compare Pyphen with itself."""
    assert isinstance(readability.syllable_counter(code), readability.LiangCount)


@pytest.mark.parametrize("code", CODES)
def test_every_corpus_word_counts_as_pyphen_counts_it(code: str, corpus: Path) -> None:
    words = _words(corpus.rglob("*"))
    assert len(words) > 1000
    assert _mismatches(code, words) == []


@pytest.mark.parametrize("code", CODES)
def test_every_fixture_and_example_word_counts_as_pyphen_counts_it(code: str) -> None:
    files = [*(ROOT / "tests" / "fixtures").rglob("*"), *EXAMPLES.rglob("*")]
    words = _words(files)
    assert len(words) > 500
    assert _mismatches(code, words) == []


# Letters of the languages policylint ships, capitals among them (the counter lowercases, and
# "İ" becomes two characters when lowercased: Pyphen measures the right margin before that).
_LETTERS = "abcdefghijklmnopqrstuvwxyzæøåčćžšđõäöüéèßñ" + "AEIOUYÆØÅČĆŽŠĐÕÄÖÜİ" + "'’"
_GENERATED = st.one_of(
    st.text(alphabet=_LETTERS, max_size=40),
    st.from_regex(readability._WORD, fullmatch=True),
    st.text(alphabet=_LETTERS + ".-", max_size=12),  # not words readability finds, counted alike
)


@settings(max_examples=250, deadline=None)
@given(words=st.lists(_GENERATED, min_size=1, max_size=10))
def test_generated_words_count_as_pyphen_counts_them(words: list[str]) -> None:
    """Every code on each example: generating the words costs more than counting them."""
    assert {code: _mismatches(code, words) for code in CODES} == {code: [] for code in CODES}


@pytest.mark.parametrize("code", CODES)
def test_syllables_is_the_counter_with_a_cache(code: str) -> None:
    words = ["privacy", "personoplysninger", "isikuandmete", "Rückgaberecht", "a", ""]
    assert [readability.syllables(w, code) for w in words] == [_pyphen_count(code, w) for w in words]


# Every dictionary Pyphen ships, once each: nonstandard hyphenation (hu, ca: values carrying
# "ff=f" data), and Indonesian and Afrikaans, where a pattern sets values past its own letters.
_EVERY_DICTIONARY = sorted({path.name: name for name, path in pyphen.LANGUAGES.items()}.values())
_SAMPLE = [
    *_words((ROOT / "tests" / "fixtures").rglob("*"))[::7],
    *("mil", "miliar", "kemilau", "milik", "erf", "verf", "erfenis", "erfgoed"),
    *("szőlő", "egészség", "collaboració", "paral·lel", "İstanbul", "x", "", "a" * 60),
]


@pytest.mark.parametrize("name", _EVERY_DICTIONARY)
def test_every_pyphen_dictionary_counts_as_pyphen(name: str) -> None:
    assert _mismatches(name, _SAMPLE) == []
