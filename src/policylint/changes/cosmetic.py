"""Telling a real edit from a cosmetic one.

Two versions are compared as the sentences a reader sees, after parsing (so Markdown and HTML
markup and link targets are already gone) and normalising: Unicode compatibility forms, quotes
and dashes, case, list numbering ("3.", "b)", "(iv)"), and whitespace. A table of contents (list
items that repeat a heading of the same document) is left out. What remains is compared as a
multiset, so reordered lists and moved paragraphs are not edits either; a changed sentence that
is still at least :data:`TYPO_RATIO` similar to one that disappeared is a typo fix.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ..document import BlockRole, Document, Section
from ..extract.phrases import sentence_spans
from .extract import Spot, blocks, quote

#: Changed sentences at least this similar to a removed one are typo fixes (difflib ratio).
TYPO_RATIO = 0.9
#: Sentences of fewer words are navigation or labels, never a material edit on their own.
MIN_WORDS = 4

_NUMBERING = re.compile(r"^\s*(?:(?:\d+|[a-z]|[ivxlc]+)[.)]|\((?:\d+|[a-z]|[ivxlc]+)\)|[-*•·–—])\s+", re.I)
_SECTION_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[a-z]\.|[ivxlc]+\.)\s+", re.I)
_PUNCT = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise(text: str) -> str:
    """A sentence as compared: no numbering, markup leftovers, case or spacing differences."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).translate(_PUNCT)
    text = _NUMBERING.sub("", text)
    text = re.sub(r"[*_`#>|]+", " ", text)
    return " ".join(text.lower().split()).strip(" .;:,")


def title_key(title: str) -> str:
    """A heading as compared: without its number ("3.2 Your rights" == "Your rights")."""
    return normalise(_SECTION_NUMBER.sub("", title))


@dataclass(frozen=True, slots=True)
class Sentence:
    key: str
    words: int
    spot: Spot
    tokens: frozenset[str]


_WORD = re.compile(r"\w+")


def tokens(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Dice similarity of two word sets: cheap enough to compare every pair of sentences."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def sentences(document: Document) -> list[Sentence]:
    """The document's prose sentences in order, headings and a table of contents left out."""
    headings = {title_key(s.title) for s in document.sections()}
    found: list[Sentence] = []
    for section, block in blocks(document):
        if block.role == BlockRole.HEADING or (section.heading is block):
            continue
        if block.role == BlockRole.LIST_ITEM and title_key(block.text) in headings:
            continue  # a table-of-contents entry
        for start, end in sentence_spans(block.text):
            key = normalise(block.text[start:end])
            if key:
                place = Spot(section, block, start, end, quote(block.text[start:end]))
                found.append(Sentence(key, len(key.split()), place, tokens(key)))
    return found


@dataclass(slots=True)
class Edit:
    """A non-cosmetic edit: a sentence that appeared (``new``), disappeared (``old``), or both."""

    old: Sentence | None
    new: Sentence | None


def edits(old: list[Sentence], new: list[Sentence]) -> tuple[list[Edit], bool]:
    """The edits between two versions, and whether they differ at all (cosmetically or not)."""
    old_counts = Counter(s.key for s in old)
    new_counts = Counter(s.key for s in new)
    differs = [s.spot.sentence for s in old] != [s.spot.sentence for s in new]
    gone = _unmatched(old, new_counts)
    came = _unmatched(new, old_counts)
    result: list[Edit] = []
    used: set[int] = set()
    for sentence in came:
        partner = _partner(sentence, gone, used)
        if partner is not None:
            used.add(id(partner))
            if _typo(partner, sentence):
                continue
            result.append(Edit(partner, sentence))
        elif sentence.words >= MIN_WORDS:
            result.append(Edit(None, sentence))
    result.extend(Edit(s, None) for s in gone if id(s) not in used and s.words >= MIN_WORDS)
    return result, differs


def _typo(old: Sentence, new: Sentence) -> bool:
    """A small edit that changes no number ("delivry" → "delivery"; never "30" → "14")."""
    changed = old.tokens ^ new.tokens
    if any(ch.isdigit() for word in changed for ch in word):
        return False
    return difflib.SequenceMatcher(None, old.key, new.key).ratio() >= TYPO_RATIO


def _unmatched(sentences: list[Sentence], other: Counter[str]) -> list[Sentence]:
    remaining = Counter(other)
    out: list[Sentence] = []
    for sentence in sentences:
        if remaining[sentence.key] > 0:
            remaining[sentence.key] -= 1
        else:
            out.append(sentence)
    return out


def _partner(sentence: Sentence, gone: list[Sentence], used: set[int]) -> Sentence | None:
    """The removed sentence this one most likely rewrites (half its words or more), or None.

    Candidates are ranked by shared words, which is linear per pair; difflib's character ratio
    (quadratic) is only computed for the one chosen, to tell a typo fix from a rewrite."""
    best: Sentence | None = None
    best_score = 0.5
    for candidate in gone:
        if id(candidate) in used:
            continue
        score = overlap(candidate.tokens, sentence.tokens)
        if score > best_score:
            best, best_score = candidate, score
    return best


def section_of(sentence: Sentence) -> Section:
    return sentence.spot.section
