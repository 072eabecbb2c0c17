"""Phrase patterns and sentences: the plain-regex text tools every extractor shares.

Extractors match a language pack's phrases on the *text* (case-insensitively, at the start of a
word), not on lemmas: the phrases are glued to numbers and addresses by regular expressions, and
the text keeps positions exact. This module compiles such phrase lists once, splits text into
sentences without spaCy, and finds cheap "needles" that rule out a pattern before it is run.
It knows no language: every word comes from the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial
from typing import Any

from ..classify import longest_first

_PER_VOCABULARY: dict[tuple[str, int], tuple[object, Any]] = {}


def _per_vocabulary(what: str, vocab: Any, compute: Any) -> Any:
    """``compute(vocab)``, once per vocabulary object: building and hashing a vocabulary's key and
    patterns for every paragraph took a measurable share of a run."""
    entry = _PER_VOCABULARY.get((what, id(vocab)))
    if entry is not None and entry[0] is vocab:
        return entry[1]
    value = compute(vocab)
    _PER_VOCABULARY[what, id(vocab)] = (vocab, value)  # holding the object keeps its id unique
    return value


def vocab_key(vocab: Any) -> Any:
    """``vocab.key()``, computed once per vocabulary object."""
    return _per_vocabulary("key", vocab, lambda v: v.key())


def _alternation(phrases: Iterable[str]) -> str:
    """One regex alternation of phrases, longest first, any run of spaces matching any spacing."""
    alts = sorted(
        {re.escape(p.strip()).replace(r"\ ", r"\s+") for p in phrases if p.strip()}, key=longest_first
    )
    return "|".join(alts) if alts else r"(?!x)x"


def phrase_pattern(phrases: Iterable[str], *, open_end: bool = False) -> re.Pattern[str]:
    """Case-insensitive pattern of phrases starting at a word start (compiled once per list).

    ``open_end`` lets a phrase match the start of a longer word ("respond" finds "responded");
    otherwise only a plural ``s``/``es`` may follow ("contact form" finds "contact forms").
    """
    return _phrase_pattern(tuple(phrases), open_end)


@lru_cache(maxsize=256)
def _phrase_pattern(phrases: tuple[str, ...], open_end: bool) -> re.Pattern[str]:
    tail = "" if open_end else r"(?:s|es)?(?!\w)"
    return re.compile(r"(?<!\w)(?:" + _alternation(phrases) + ")" + tail, re.IGNORECASE)


def maybe_pattern(phrases: Sequence[str], *, open_end: bool = False) -> re.Pattern[str] | None:
    """:func:`phrase_pattern`, or None for an empty list (a language without these words)."""
    return phrase_pattern(phrases, open_end=open_end) if any(p.strip() for p in phrases) else None


_SENTENCE_END = re.compile(r";\s+|[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9À-Þ])|\n\s*\n")
_SPACE_BEFORE = re.compile(r"\S*\Z")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence ranges of ``text`` by punctuation, without spaCy.

    A full stop after a short token ("e.g.", "U.S.", "No.", "St.") does not end a sentence:
    those are abbreviations far more often than one- or two-letter final words. Semicolons end
    a clause, which is what "the same sentence" means for the rules that use this.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.start() + 1
        if text[match.start()] == ".":
            token = _SPACE_BEFORE.search(text, max(start, end - 40), end)
            core = token.group(0).rstrip(".") if token is not None else ""
            if len(core) <= 2 or "." in core:
                continue
        spans.append((start, end))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def sentence_at(spans: Sequence[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence span containing ``offset`` (the last one when past the end)."""
    for start, end in spans:
        if start <= offset < end:
            return start, end
    return spans[-1] if spans else (0, 0)


#: The only non-ASCII characters that a case-insensitive pattern matches to an ASCII letter
#: (İ ı ſ and the Kelvin sign); tests/test_perf_checks_equivalence.py checks all of Unicode.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _needles(phrases: Iterable[str]) -> tuple[str, ...] | None:
    """Lowercased pieces such that every match of one of the phrases contains one, or None.

    Phrases are matched case-insensitively with any whitespace between words, so a match holds
    each space-free part of its phrase. Parts are picked greedily, the one in most phrases not yet
    covered first ("chat" for all of "live chat", "webchat", "chat window"), then the longest;
    parts under three letters ("a") only when nothing else is left: few, rare needles skip the
    most scans. A needle that contains another adds nothing. None when a part is not ASCII
    (Unicode case folding is more than lowercasing).
    """
    parts = [[w.lower() for w in p.strip().split(" ") if w] for p in phrases if p.strip()]
    if not all(w.isascii() for words in parts for w in words):
        return None
    candidates = sorted({w for words in parts for w in words})
    uncovered = parts
    chosen: list[str] = []
    while uncovered:
        best = max(candidates, key=partial(_gain, uncovered=uncovered))
        chosen.append(best)
        uncovered = [words for words in uncovered if not any(best in w for w in words)]
    return tuple(sorted(n for n in set(chosen) if not any(m != n and m in n for m in chosen)))


def _gain(word: str, uncovered: list[list[str]]) -> tuple[bool, bool, int, int, str]:
    """How good a needle ``word`` is for the phrases (their parts) not yet covered."""
    covers = sum(1 for words in uncovered if any(word in w for w in words))
    return covers > 0, len(word) >= 3, covers, len(word), word


def _folded(text: str) -> str | None:
    """``text`` lowercased, for needle tests: None when it has a non-ASCII letter that a
    case-insensitive pattern matches to an ASCII one (:data:`_FOLDS_TO_ASCII`)."""
    if not text.isascii() and any(ch in text for ch in _FOLDS_TO_ASCII):
        return None
    return text.lower()


def _may_match(folded: str | None, needles: tuple[str, ...] | None) -> bool:
    """False only when a phrase pattern cannot match: no needle occurs in the folded text.

    For ASCII needles, a case-insensitive match finds only ASCII letters in text without
    :data:`_FOLDS_TO_ASCII`, so the match lowercased contains its phrase's needle.
    """
    return folded is None or needles is None or any(needle in folded for needle in needles)


@lru_cache(maxsize=64)
def _cached_needles(phrases: tuple[str, ...]) -> tuple[str, ...] | None:
    """:func:`_needles` of a phrase list that is not compiled with a channel vocabulary."""
    return _needles(phrases)
