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
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

from . import shipped
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

#: How a message names each metric when the language pack gives no name of its own (the packs'
#: ``[readability] name`` is what readers see: "reading grade (Flesch–Kincaid)", not an id).
METRIC_LABELS: dict[str, str] = {
    "flesch-kincaid-grade": "reading grade (Flesch–Kincaid)",
    "flesch-reading-ease": "reading ease (Flesch)",
    "lix": "readability index (LIX)",
    "rix": "readability index (RIX)",
    "wiener-sachtextformel": "school grade (Wiener Sachtextformel)",
    "gunning-fog": "reading grade (Gunning fog)",
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
    """Put a dictionary's parsed patterns into Pyphen's own cache: the ones policylint ships for
    its built-in languages (see shipped.py), else those in our cache folder if there.

    Pyphen parses a ``hyph_*.dic`` file line by line on first use in every process: 0.075 s for
    English, 0.7 s for German. Its result is a plain mapping (pattern -> [offset, values]) that
    JSON reads back in a tenth of that time. JSON, not pickle: the cache folder may sit in a
    checked-out repository, and loading it must never run code. Any surprise (another Pyphen
    layout, nonstandard hyphenation data, an unreadable or corrupt file) falls back to Pyphen's
    own parsing, so the cache can only cost time, never change a count.
    """
    try:
        source = Path(pyphen.LANGUAGES[name])
        if source in pyphen.hdcache:
            return
        version = str(pyphen.__version__)
        # Shipped with policylint for the built-in languages (see shipped.py): no parsing at all.
        patterns = shipped.read(shipped.hyphenation_name(name, version, source.read_bytes()))
        hyph = _hyph_from(pyphen, patterns)
        if hyph is not None:
            pyphen.hdcache[source] = hyph
            return
        if HYPHENATION_CACHE_DIR is None:
            return
        stat = source.stat()
        cached = HYPHENATION_CACHE_DIR / f"{name}-{version}-{stat.st_size}-{int(stat.st_mtime)}.json"
    except (AttributeError, KeyError, OSError, TypeError):
        return
    try:
        hyph = _hyph_from(pyphen, json.loads(cached.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        hyph = None
    if hyph is None:
        hyph = pyphen.HyphDict(source)
        plain = plain_patterns(hyph)
        if plain is not None:
            with contextlib.suppress(OSError):  # a read-only cache only costs time
                write_text_atomically(cached, json.dumps(plain))
    pyphen.hdcache[source] = hyph


def _hyph_from(pyphen: Any, data: Any) -> Any:
    """A Pyphen HyphDict from :func:`plain_patterns`' form, or None if ``data`` is not that."""
    try:
        patterns = data["patterns"]
        maxlen = int(data["maxlen"])
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    if not isinstance(patterns, dict):
        return None
    hyph = object.__new__(pyphen.HyphDict)  # HyphDict.__init__ is the parsing we skip
    hyph.patterns = patterns
    hyph.maxlen = maxlen
    hyph.cache = {}
    return hyph


def plain_patterns(hyph: Any) -> dict[str, Any] | None:
    """A parsed dictionary as plain JSON data, or None if it is not plain (nonstandard hyphenation)."""
    patterns = getattr(hyph, "patterns", None)
    if not isinstance(patterns, dict) or not isinstance(getattr(hyph, "maxlen", None), int):
        return None
    plain: dict[str, list[Any]] = {}
    for key, (offset, values) in patterns.items():
        if any(getattr(v, "data", None) is not None for v in values):
            return None  # nonstandard hyphenation ("ff=f"): not plain data, parse it each time
        plain[key] = [int(offset), [int(v) for v in values]]
    return {"patterns": plain, "maxlen": hyph.maxlen}


@lru_cache(maxsize=200_000)
def syllables(word: str, code: str) -> int:
    """Syllables in one lowercase word: hyphenation points + 1."""
    return syllable_counter(code)(word)


def syllable_counter(code: str) -> Callable[[str], int]:
    """What :func:`syllables` counts with for a dictionary code: the same number Pyphen's
    ``len(positions(word)) + 1`` gives, from the same patterns, in under half Pyphen's time while
    the trie grows (a process's first few thousand words) and under a third after (see
    :class:`LiangCount`)."""
    return _counter_of(hyphenator(code))


@lru_cache(maxsize=16)
def _counter_of(hyph: Any) -> Callable[[str], int]:
    """One counter per hyphenator *instance*, not per code, so that whoever reloads a
    hyphenator (the tests do, to check the pattern cache) also gets a counter over the reloaded
    patterns. A Pyphen whose layout is not the one read here is asked itself."""
    try:
        hd = hyph.hd
        patterns, maxlen, left, right = hd.patterns, hd.maxlen, hyph.left, hyph.right
    except AttributeError:
        return _PyphenCount(hyph)
    if not (isinstance(patterns, dict) and all(isinstance(n, int) for n in (maxlen, left, right))):
        return _PyphenCount(hyph)
    return LiangCount(patterns, maxlen, left, right)


class _PyphenCount:
    """Syllables as Pyphen counts them; only for a Pyphen this module does not know the insides of."""

    __slots__ = ("_hyph",)

    def __init__(self, hyph: Any) -> None:
        self._hyph = hyph

    def __call__(self, word: str) -> int:
        return len(self._hyph.positions(word)) + 1


#: Points of a trie node: (where, counted from the start of the walk, highest value there).
_Points = tuple[tuple[int, int], ...]


class _Node(dict[str, "_Node | None"]):
    """A trie node: next letter -> the node one letter deeper (None: no pattern goes on so).

    The trie is grown on demand: a letter not seen after this prefix before is looked up in
    ``__missing__`` and remembered, dead ends included, so after the first few words a walk is
    one C-level subscript per letter. Building all of it up front would take 0.5 s for German
    (232,000 prefixes); what is done up front is sorting the keys (0.01 s), so that whether any
    pattern starts with a string is one binary search. The trie only ever holds prefixes of
    patterns and the letters that followed them in real words.

    ``points`` are the highest values of every pattern on the path from the root, merged when
    the node is made: the walk from a start passes through exactly those patterns, and a
    maximum taken in one go is the same as taken pattern by pattern, so the walk applies one
    node's points at its end instead of each pattern's on the way.
    """

    __slots__ = ("patterns", "points", "prefix", "sorted_keys")
    patterns: dict[str, Any]  # as Pyphen parsed them: key -> (offset, values)
    points: _Points
    prefix: str
    sorted_keys: list[str]  # every pattern key

    @classmethod
    def root(cls, patterns: dict[str, Any]) -> _Node:
        return cls._make(sorted(patterns), patterns, (), "")

    @classmethod
    def _make(cls, sorted_keys: list[str], patterns: dict[str, Any], points: _Points, prefix: str) -> _Node:
        # Slots set here rather than in an __init__: nodes are made mid-walk, and a Python
        # __init__ with super().__init__() doubled the cost of making one.
        node = cls()
        node.sorted_keys, node.patterns, node.points, node.prefix = sorted_keys, patterns, points, prefix
        return node

    def __missing__(self, letter: str) -> _Node | None:
        prefix = self.prefix + letter
        pattern = self.patterns.get(prefix)
        if pattern:  # Pyphen skips a falsy entry the same way
            offset, values = pattern
            highest = dict(self.points)
            # int(): in a nonstandard dictionary (hu, ca) odd values are int subclasses carrying
            # "ff=f" data; only the value counts. Zeros never raise a maximum.
            for at, value in enumerate(map(int, values), offset):
                if value > highest.get(at, 0):
                    highest[at] = value
            child: _Node | None = self._make(self.sorted_keys, self.patterns, tuple(highest.items()), prefix)
        else:
            keys = self.sorted_keys
            after = bisect_right(keys, prefix)
            live = after < len(keys) and keys[after].startswith(prefix)
            child = self._make(keys, self.patterns, self.points, prefix) if live else None
        self[letter] = child
        return child


class LiangCount:
    """Hyphenation points of a word by Liang's algorithm, counted, over Pyphen's parsed patterns.

    The result is Pyphen's ``len(Pyphen.positions(word)) + 1`` exactly, rule for rule: the word
    is lowercased and wrapped in ``.`` boundaries; at every start but the last, every substring
    up to the longest pattern's length that is a pattern raises the values at its points to its
    own (the maximum wins); a point counts when its value is odd and it leaves ``left`` letters
    before it and ``right`` after it, with the word's length taken before lowercasing, as
    Pyphen does. Values a pattern places past the end of the word are dropped, as Pyphen's slice
    assignment drops them.

    Pyphen tries every substring up to the longest pattern (28 letters in US English) at every
    start and builds a list of int objects per word; here the walk from a start stops at the
    first substring no pattern begins with (usually after two to four letters), and the odd
    values are only counted.
    """

    __slots__ = ("_left", "_maxlen", "_pad", "_right", "_root")

    def __init__(self, patterns: dict[str, Any], maxlen: int, left: int = 2, right: int = 2) -> None:
        self._maxlen = maxlen
        self._left = left
        self._right = right
        # Room past the word for the rare pattern whose values reach beyond its own letters
        # (Indonesian "mil", Afrikaans ".erf"): those writes land here and are never counted.
        offsets = [pattern[0] for pattern in patterns.values() if pattern]
        lengths = [len(pattern[1]) for pattern in patterns.values() if pattern]
        self._pad = 1 + max(offsets, default=0) + max(lengths, default=0)
        self._root = _Node.root(patterns)

    def __call__(self, word: str) -> int:
        pointed = f".{word.lower()}."
        size = len(pointed)
        values = [0] * (size + self._pad)  # values[k]: the point before pointed[k]
        root, maxlen = self._root, self._maxlen
        for start in range(size - 1):
            node = root
            for letter in pointed[start : start + maxlen]:
                child = node[letter]
                if child is None:
                    break
                node = child
            for offset, value in node.points:
                at = start + offset
                if value > values[at]:
                    values[at] = value
        # Pyphen's position p is values[p + 1]; it keeps left <= p <= len(word) - right.
        low = max(self._left + 1, 0)
        high = min(len(word) - self._right + 1, size)
        return 1 + sum([value & 1 for value in values[low : high + 1]])


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
