"""Phrase matching on lemmas: one compiled spaCy PhraseMatcher per (language, phrase list).

Matching lemmas, not strings, is what lets "commenced", "Commences" and "commence" all hit the
one entry "commence", and keeps long term lists fast: each block is scanned once however many
phrases there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..document import Block, BlockRole, Section
from ..timings import TIMINGS

if TYPE_CHECKING:
    from .base import CheckContext

# Quoted text ("…", “…”, „…“, «…») is someone else's words (a statute, a defined term): not ours to
# rewrite. A definition ("Services" means …; “Data” shall mean …) is protected to the end of its sentence.
_QUOTED = re.compile(r"[\"“„«»][^\"“”„«»\n]{1,300}[\"”“«»]")
_DEFINITION = re.compile(
    r"[\"“„«][^\"“”„«»\n]{1,80}[\"”“»]\s*(?:\([^)]{0,40}\)\s*)?(?:shall\s+)?(?:means?|refers?\s+to|includes?|has\s+the\s+meaning)\b[^.;\n]*",
    re.IGNORECASE,
)


def quoted_ranges(text: str) -> list[tuple[int, int]]:
    """Text ranges of quotations and defined-term definitions in a block."""
    if not any(q in text for q in '"“„«'):
        return []
    ranges = [m.span() for m in _DEFINITION.finditer(text)]
    ranges.extend(m.span() for m in _QUOTED.finditer(text))
    return ranges


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    section: Section
    block: Block
    start: int  # text offsets in the block
    end: int
    phrase: str  # the list entry that matched
    text: str  # what the document says


@dataclass(frozen=True, slots=True)
class _Compiled:
    """A phrase list compiled for one pipeline."""

    matcher: Any
    names: dict[int, str]  # match id -> the phrase
    #: LEMMA hashes of the phrases' first tokens. Every match starts on a token with one of
    #: these lemmas, so a block (or document) with none of them cannot match: most phrase lists
    #: find nothing in most blocks, and this test is far cheaper than running the matcher.
    firsts: frozenset[int]


_MATCHERS: dict[tuple[int, tuple[str, ...]], _Compiled] = {}


def _matcher(ctx: CheckContext, phrases: tuple[str, ...]) -> _Compiled:
    nlp = ctx.nlp
    key = (id(nlp), phrases)
    cached = _MATCHERS.get(key)
    if cached is not None:
        return cached
    with TIMINGS.timed("nlp"):  # building a matcher is spaCy's work, not the rule's
        built = _build_matcher(nlp, phrases)
    _MATCHERS[key] = built
    return built


def _build_matcher(nlp: Any, phrases: tuple[str, ...]) -> _Compiled:
    from spacy.matcher import PhraseMatcher

    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    names: dict[int, str] = {}
    firsts: set[int] = set()
    for phrase, doc in zip(phrases, nlp.pipe(phrases), strict=True):
        match_id = nlp.vocab.strings.add(phrase)
        names[match_id] = phrase
        matcher.add(phrase, [doc])
        if len(doc):  # an empty pattern is never matched (spaCy skips it)
            firsts.add(doc[0].lemma)
    return _Compiled(matcher, names, frozenset(firsts))


class _Place(NamedTuple):
    section: Section
    block: Block
    heading: bool  # the section's heading, not one of its blocks


@dataclass(frozen=True, slots=True)
class _LemmaIndex:
    """Which lemmas each heading and block has, built once per document and shared by all rules.

    ``places`` are the headings and blocks in the order ``find_phrases`` reports them (each
    section's heading, then its blocks), ``lemmas`` the LEMMA hashes of each place's tokens, and
    ``union`` those of the whole document.
    """

    places: list[_Place]
    lemmas: list[frozenset[int]]
    union: frozenset[int]


def _lemma_index(ctx: CheckContext) -> _LemmaIndex:
    def build() -> _LemmaIndex:
        from spacy.attrs import LEMMA

        places: list[_Place] = []
        for section in ctx.document.all_sections():
            if section.heading is not None:
                places.append(_Place(section, section.heading, heading=True))
            places.extend(_Place(section, block, heading=False) for block in section.blocks)
        lemmas: list[frozenset[int]] = []
        for place in places:
            doc = ctx.spacy_doc(place.block)
            lemmas.append(frozenset(doc.to_array(LEMMA).tolist()) if len(doc) else frozenset())
        return _LemmaIndex(places, lemmas, frozenset().union(*lemmas))

    return ctx.memo("matching.lemma-index", build)


def _candidates(index: _LemmaIndex, firsts: frozenset[int]) -> list[int]:
    """Positions of the places with a token of one of ``firsts``, in document order: only there
    can a match start, and most phrase lists have no candidate in most blocks (or documents)."""
    if firsts.isdisjoint(index.union):
        return []
    return [i for i, lemmas in enumerate(index.lemmas) if not firsts.isdisjoint(lemmas)]


def find_phrases(
    ctx: CheckContext,
    phrases: Iterable[str],
    *,
    skip_roles: frozenset[BlockRole] = frozenset(),
    include_headings: bool = False,
    skip_protected: bool = True,
    skip_quoted: bool = False,
) -> Iterator[PhraseMatch]:
    """Every occurrence of any phrase in the document's prose, longest match first at a place.

    ``skip_protected`` drops matches in code, URLs and email addresses; ``skip_quoted`` also drops
    matches inside quotations and defined-term definitions (for rules that judge *our* wording).
    """
    unique = tuple(sorted({p.strip() for p in phrases if p.strip()}))
    if not unique:
        return
    compiled = _matcher(ctx, unique)
    index = _lemma_index(ctx)
    candidates = _candidates(index, compiled.firsts)
    if not candidates:
        return
    matcher, names = compiled.matcher, compiled.names
    from spacy.util import filter_spans

    for position in candidates:
        section, block, heading = index.places[position]
        if (heading and not include_headings) or block.role in skip_roles:
            continue
        doc = ctx.spacy_doc(block)
        raw = matcher(doc)
        if not raw:
            continue
        spans = []
        for match_id, start, end in raw:
            span = doc[start:end]
            span.label_ = names[match_id]
            spans.append(span)
        quotes = quoted_ranges(block.text) if skip_quoted else []
        for span in sorted(filter_spans(spans), key=lambda s: s.start_char):
            if skip_protected and block.is_protected(span.start_char, span.end_char):
                continue
            if any(q0 <= span.start_char and span.end_char <= q1 for q0, q1 in quotes):
                continue
            yield PhraseMatch(section, block, span.start_char, span.end_char, span.label_, span.text)
