"""Phrase matching on lemmas: one compiled spaCy PhraseMatcher per (language, phrase list).

Matching lemmas, not strings, is what lets "commenced", "Commences" and "commence" all hit the
one entry "commence", and keeps long term lists fast: each block is scanned once however many
phrases there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def _block_lemmas(ctx: CheckContext, block: Block) -> frozenset[int]:
    """The LEMMA hashes of a block's tokens, computed once per document and shared by all rules."""
    cache: dict[int, tuple[Block, frozenset[int]]] = ctx.memo("matching.block-lemmas", dict)
    entry = cache.get(id(block))
    if entry is not None and entry[0] is block:
        return entry[1]
    from spacy.attrs import LEMMA

    doc = ctx.spacy_doc(block)
    lemmas = frozenset(doc.to_array(LEMMA).tolist()) if len(doc) else frozenset()
    cache[id(block)] = (block, lemmas)  # the block is kept so that its id is not reused
    return lemmas


def _document_lemmas(ctx: CheckContext) -> frozenset[int]:
    """The LEMMA hashes of every block and heading of the document (a phrase list none of whose
    first lemmas is here finds nothing, and is answered without looking at a block)."""

    def compute() -> frozenset[int]:
        found: set[int] = set()
        for section in ctx.document.all_sections():
            if section.heading is not None:
                found.update(_block_lemmas(ctx, section.heading))
            for block in section.blocks:
                found.update(_block_lemmas(ctx, block))
        return frozenset(found)

    return ctx.memo("matching.document-lemmas", compute)


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
    firsts = compiled.firsts
    if firsts.isdisjoint(_document_lemmas(ctx)):
        return
    matcher, names = compiled.matcher, compiled.names
    from spacy.util import filter_spans

    for section in ctx.document.all_sections():
        blocks = list(section.blocks)
        if include_headings and section.heading is not None:
            blocks.insert(0, section.heading)
        for block in blocks:
            if block.role in skip_roles or firsts.isdisjoint(_block_lemmas(ctx, block)):
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
