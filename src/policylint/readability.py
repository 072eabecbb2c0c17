"""Readability formulas, computed offline from word, sentence and syllable counts.

The formulas are the published ones, with the coefficients textstat uses (Flesch–Kincaid grade,
Flesch reading ease, LIX, RIX, Wiener Sachtextformel, Gunning fog), and syllables come from the
Pyphen hyphenation dictionaries, which is how textstat counts syllables for every language but
English. policylint does not call textstat at run time: importing it imports NLTK (over a second
per process), and its English syllable counter downloads NLTK's cmudict on first use, which fails
offline. The test suite checks these formulas against textstat on the same counts.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from .atomic import write_text_atomically

#: Metric name -> True when a higher score means harder text.
METRICS: dict[str, bool] = {
    "flesch-kincaid-grade": True,
    "flesch-reading-ease": False,
    "lix": True,
    "rix": True,
    "wiener-sachtextformel": True,
    "gunning-fog": True,
}

#: Pyphen dictionaries for languages whose code differs from the hyphenation code.
_HYPHENATION = {
    "en": "en_US",
    "da": "da_DK",
    "nb": "nb_NO",
    "nn": "nn_NO",
    "hr": "hr_HR",
    "et": "et_EE",
    "de": "de_DE",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"”’)\]]|$)")
LONG_WORD_LETTERS = 6


@dataclass(frozen=True, slots=True)
class Counts:
    """What every formula is built from."""

    words: int
    sentences: int
    syllables: int
    long_words: int  # more than six letters (LIX, RIX, Wiener)
    polysyllables: int  # three or more syllables (Gunning fog, Wiener)
    monosyllables: int


@dataclass(frozen=True, slots=True)
class Score:
    metric: str
    value: float
    higher_is_harder: bool

    def exceeds(self, limit: float) -> bool:
        return self.value > limit if self.higher_is_harder else self.value < limit


#: Where parsed hyphenation dictionaries are kept between runs; None (the library default) writes
#: nothing. The CLI points it into its cache folder, as it does for lemma tables.
HYPHENATION_CACHE_DIR: Path | None = None


@lru_cache(maxsize=16)
def hyphenator(code: str) -> Any:
    """The Pyphen hyphenator of a dictionary code (US English when Pyphen has no such dictionary)."""
    import pyphen

    name = pyphen.language_fallback(code) or "en_US"
    _load_cached_patterns(pyphen, name)
    return pyphen.Pyphen(lang=name)


def _load_cached_patterns(pyphen: Any, name: str) -> None:
    """Put a dictionary's parsed patterns into Pyphen's own cache, from our cache folder if there.

    Pyphen parses a ``hyph_*.dic`` file line by line on first use in every process: 0.075 s for
    English, 0.7 s for German. Its result is a plain mapping (pattern -> [offset, values]) that
    JSON reads back in a tenth of that time. JSON, not pickle: the cache folder may sit in a
    checked-out repository, and loading it must never run code. Any surprise (another Pyphen
    layout, nonstandard hyphenation data, an unreadable or corrupt file) falls back to Pyphen's
    own parsing, so the cache can only cost time, never change a count.
    """
    if HYPHENATION_CACHE_DIR is None:
        return
    try:
        source = Path(pyphen.LANGUAGES[name])
        if source in pyphen.hdcache:
            return
        stat = source.stat()
        cached = (
            HYPHENATION_CACHE_DIR / f"{name}-{pyphen.__version__}-{stat.st_size}-{int(stat.st_mtime)}.json"
        )
    except (AttributeError, KeyError, OSError, TypeError):
        return
    hyph = _read_patterns(pyphen, cached)
    if hyph is None:
        hyph = pyphen.HyphDict(source)
        _write_patterns(hyph, cached)
    pyphen.hdcache[source] = hyph


def _read_patterns(pyphen: Any, cached: Path) -> Any:
    try:
        data = json.loads(cached.read_text(encoding="utf-8"))
        patterns = data["patterns"]
        maxlen = int(data["maxlen"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(patterns, dict):
        return None
    hyph = object.__new__(pyphen.HyphDict)  # HyphDict.__init__ is the parsing we skip
    hyph.patterns = patterns
    hyph.maxlen = maxlen
    hyph.cache = {}
    return hyph


def _write_patterns(hyph: Any, cached: Path) -> None:
    patterns = getattr(hyph, "patterns", None)
    if not isinstance(patterns, dict) or not isinstance(getattr(hyph, "maxlen", None), int):
        return
    plain: dict[str, list[Any]] = {}
    for key, (offset, values) in patterns.items():
        if any(getattr(v, "data", None) is not None for v in values):
            return  # nonstandard hyphenation ("ff=f"): not plain data, parse it each time
        plain[key] = [int(offset), [int(v) for v in values]]
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        write_text_atomically(cached, json.dumps({"patterns": plain, "maxlen": hyph.maxlen}))


@lru_cache(maxsize=200_000)
def syllables(word: str, code: str) -> int:
    """Syllables in one lowercase word: hyphenation points + 1."""
    return len(hyphenator(code).positions(word)) + 1


def count(text: str, lang: str, hyphenation: str | None = None) -> Counts:
    return total([raw_count(text, lang, hyphenation)])


def total(parts: Iterable[Counts]) -> Counts:
    """The counts of texts read one after another: sums, with at least one sentence if there
    are words (a text whose last sentence has no full stop still is a sentence)."""
    parts = list(parts)
    words = sum(p.words for p in parts)
    return Counts(
        words=words,
        sentences=max(1, sum(p.sentences for p in parts)) if words else 0,
        syllables=sum(p.syllables for p in parts),
        long_words=sum(p.long_words for p in parts),
        polysyllables=sum(p.polysyllables for p in parts),
        monosyllables=sum(p.monosyllables for p in parts),
    )


def hyphenation_code(lang: str, hyphenation: str | None = None) -> str:
    """The Pyphen dictionary a language's syllables are counted with."""
    return hyphenation or _HYPHENATION.get(lang, lang)


def raw_count(text: str, lang: str, hyphenation: str | None = None) -> Counts:
    """Counts of one text with its sentence ends as found (possibly none): these add up, so a
    document's counts are the sum of its paragraphs' and each paragraph is counted once."""
    code = hyphenation_code(lang, hyphenation)
    # map() and Counter keep the per-word work in C: this runs on every paragraph of every
    # document, and per-word generator frames were most of the readability rules' time.
    words = list(map(str.lower, _WORD.findall(text)))
    sentences = len(_SENTENCE_END.findall(text)) if words else 0
    per_word = Counter(map(syllables, words, repeat(code)))
    return Counts(
        words=len(words),
        sentences=sentences,
        syllables=sum(s * n for s, n in per_word.items()),
        long_words=sum(n for length, n in Counter(map(len, words)).items() if length > LONG_WORD_LETTERS),
        polysyllables=sum(n for s, n in per_word.items() if s >= 3),
        monosyllables=per_word[1],
    )


def formula(metric: str, c: Counts) -> float:
    """Apply a named formula to counts (0.0 for empty text)."""
    if c.words == 0 or c.sentences == 0:
        return 0.0
    asl = c.words / c.sentences
    asw = c.syllables / c.words
    if metric == "flesch-kincaid-grade":
        return 0.39 * asl + 11.8 * asw - 15.59
    if metric == "flesch-reading-ease":
        return 206.835 - 1.015 * asl - 84.6 * asw
    if metric == "lix":
        return asl + 100.0 * c.long_words / c.words
    if metric == "rix":
        return c.long_words / c.sentences
    if metric == "wiener-sachtextformel":
        ms = 100.0 * c.polysyllables / c.words
        iw = 100.0 * c.long_words / c.words
        es = 100.0 * c.monosyllables / c.words
        return 0.1935 * ms + 0.1672 * asl + 0.1297 * iw - 0.0327 * es - 0.875
    if metric == "gunning-fog":
        return 0.4 * (asl + 100.0 * c.polysyllables / c.words)
    raise ValueError(f"unknown readability metric {metric!r}; known: {', '.join(METRICS)}")


def score(text: str, metric: str, lang: str, hyphenation: str | None = None) -> Score:
    """Compute ``metric`` for ``text`` in language ``lang``."""
    return score_counts(count(text, lang, hyphenation), metric)


def score_counts(counts: Counts, metric: str) -> Score:
    """Compute ``metric`` from counts already made (see :func:`total`)."""
    if metric not in METRICS:
        raise ValueError(f"unknown readability metric {metric!r}; known: {', '.join(METRICS)}")
    return Score(metric, round(formula(metric, counts), 1), METRICS[metric])
