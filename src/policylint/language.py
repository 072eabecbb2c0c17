"""Which language a document is written in, from the stopwords in each language pack, and which of
its sections are written in another one.

Function words ("the", "og", "und", "ja") are the most reliable cheap signal for telling closely
related languages apart; the counts come from the packs, so a new pack is detected with no code.

A policy sometimes mixes languages: a Danish shop's terms with an English section, a notice in
English and then in German, an HTML page whose sections carry ``lang`` attributes. Each top-level
section (the sections under the heading that titles the whole document, when one does) is judged
on its own text with the same counts, and gets a language of its own (``Section.language``) when
its text clearly is in another supported language: enough words, the other language's share of
function words high enough, and the document's language clearly not fitting. A short section
takes the language of the sections around it when its few function words say so (or when it is
wedged between two sections of that language and has none of the document's), and otherwise
keeps the document's. A ``lang`` attribute on an element wins over all of this, at any level.
The counting is one dictionary look-up per word: no spaCy.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from .document import Document, Section
from .packs import Catalog, LanguagePack

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SAMPLE_WORDS = 2000
SAMPLE_CHARS = 40_000
MIN_HITS = 5
#: Texts shorter than this are too short to judge: the default language is assumed.
MIN_WORDS = 40
#: Share of words that must be a pack's function words. Text in the pack's language scores 0.3-0.5;
#: unrelated languages score under 0.12. Close relatives (Danish text on the Norwegian list) can
#: score high too, which is why the best score wins; a pack may lower its own minimum (min_share).
MIN_SHARE = 0.2

#: A section needs this many words before its own text can move it out of the document's language.
SECTION_MIN_WORDS = 40
#: A section in the document's language keeps it unless another language scores this many times
#: the document language's share: Danish and Norwegian share most function words, and one
#: section of a Danish policy may well score a little higher on the Norwegian list.
SECTION_MARGIN = 1.5
#: Function words of the neighbouring sections' language a short section needs (and more than of
#: the document's language) to take that language.
SHORT_MIN_HITS = 2


@lru_cache(maxsize=32)
def _stopword_set(pack_key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in pack_key)


#: Characters scanned first for the sample's words: ordinary prose has SAMPLE_WORDS words well
#: within this, and scanning all of SAMPLE_CHARS to keep a third of its words was most of the cost.
HEAD_CHARS = 16_000


def _words(text: str) -> list[str]:
    """The first SAMPLE_WORDS words of the first SAMPLE_CHARS characters, lowercased.

    The head is scanned first; only when it holds too few words is the whole sample scanned. The
    head's words are the sample's: when the head has more than SAMPLE_WORDS words, a later match
    follows the last one kept, so that one ended before the head did and was not cut short.
    """
    sample = text[:SAMPLE_CHARS]
    head = sample[:HEAD_CHARS]
    found = _WORD.findall(head)
    if len(found) <= SAMPLE_WORDS and len(head) < len(sample):
        found = _WORD.findall(sample)
    return list(map(str.lower, found[:SAMPLE_WORDS]))


def _minimum(pack: LanguagePack) -> float:
    return pack.language.min_share or MIN_SHARE


def _hits(words: list[str], pack: LanguagePack) -> int:
    stops = _stopword_set(tuple(pack.language.stopwords))
    return sum(1 for w in words if w in stops)


@lru_cache(maxsize=8)
def _stopword_index(key: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, tuple[str, ...]]:
    """Stopword -> the packs that list it: every pack's count in one pass over the words."""
    index: dict[str, list[str]] = {}
    for code, stopwords in key:
        for word in _stopword_set(stopwords):
            index.setdefault(word, []).append(code)
    return {word: tuple(codes) for word, codes in index.items()}


def _counts(words: list[str], packs: Mapping[str, LanguagePack]) -> dict[str, int]:
    index = _stopword_index(tuple((code, tuple(p.language.stopwords)) for code, p in packs.items()))
    counts = dict.fromkeys(packs, 0)
    # Each distinct word is looked up once (Counter tallies in C): function words repeat a lot.
    for word, times in Counter(words).items():
        for code in index.get(word, ()):
            counts[code] += times
    return counts


def _best(words: list[str], packs: Mapping[str, LanguagePack]) -> tuple[str | None, dict[str, float]]:
    """The best-scoring pack that passes its minimum (or None), and every pack's share."""
    best: str | None = None
    best_score = 0.0
    shares: dict[str, float] = {}
    counts = _counts(words, packs)
    for code, pack in packs.items():
        if not pack.language.stopwords:
            continue
        hits = counts[code]
        score = hits / len(words)
        shares[code] = score
        if hits >= MIN_HITS and score >= _minimum(pack) and score > best_score:
            best, best_score = code, score
    return best, shares


def detect_text_language(text: str, packs: dict[str, LanguagePack], default: str) -> str | None:
    """The pack language ``text`` is written in; ``default`` for short texts; None when no pack fits."""
    words = _words(text)
    if len(words) < MIN_WORDS:
        return default
    return _best(words, packs)[0]


def detect_language(document: Document, catalog: Catalog, default: str) -> str | None:
    """The most likely language of a document among the loaded packs, or None for another language.

    A document that no pack fits as a whole may still be two supported languages side by side (an
    English notice followed by its German translation, neither language's share of function
    words high enough over both halves): then the language most of its sections are written in.
    """
    found = detect_text_language(document.text(), catalog.languages, default)
    if found is not None:
        return found
    words: dict[str, int] = {}
    unsupported = 0
    for unit in language_units(document):
        text_words = _words(unit.all_text())
        if len(text_words) < SECTION_MIN_WORDS:
            continue
        lang = _best(text_words, catalog.languages)[0]
        if lang is None:
            unsupported += len(text_words)
        else:
            words[lang] = words.get(lang, 0) + len(text_words)
    if not words:
        return None
    lang, count = max(sorted(words.items()), key=lambda item: item[1])
    return lang if count > unsupported else None


# -- sections in another language ---------------------------------------------------------------


def language_units(document: Document) -> list[Section]:
    """The sections whose language is judged one by one: the top-level sections, or the sections
    under the heading that titles the whole document ("# Privacy notice" over everything)."""
    units = document.root.children
    if len(units) == 1 and units[0].children:
        return units[0].children
    return units


def declared_language(section: Section) -> str | None:
    """The language the markup declares for a section: its heading's ``lang``, or the one ``lang``
    every block under its heading shares."""
    if section.heading is not None and section.heading.language:
        return section.heading.language
    langs = {b.language for b in section.blocks}
    if len(langs) == 1:
        return next(iter(langs))
    return None


@dataclass(slots=True)
class _Unit:
    section: Section
    words: list[str]
    language: str | None  # declared or judged; None: too short to judge alone


def _judge(words: list[str], packs: Mapping[str, LanguagePack], document_language: str) -> str | None:
    """The language of a section's own text, or None when it is too short to judge alone."""
    if len(words) < SECTION_MIN_WORDS:
        return None
    best, shares = _best(words, packs)
    if best is None or best == document_language:
        return document_language
    own = shares.get(document_language, 0.0)
    doc_pack = packs.get(document_language)
    if doc_pack is not None and own >= _minimum(doc_pack) and shares[best] < own * SECTION_MARGIN:
        return document_language  # the document's language fits too: no clear case
    return best


def _short(unit: _Unit, neighbours: list[str | None], packs: Mapping[str, LanguagePack], doc: str) -> str:
    """The language of a section too short to judge alone, from the sections before and after it."""
    before, after = neighbours
    doc_pack = packs.get(doc)
    doc_hits = _hits(unit.words, doc_pack) if doc_pack is not None else 0
    best: tuple[int, str] | None = None
    for lang in (before, after):
        if lang is None or lang == doc or lang not in packs:
            continue
        hits = _hits(unit.words, packs[lang])
        if hits >= SHORT_MIN_HITS and hits > doc_hits and (best is None or hits > best[0]):
            best = (hits, lang)
    if best is not None:
        return best[1]
    if before is not None and before == after and before != doc and before in packs and doc_hits == 0:
        return before  # wedged between two sections of one language, nothing says otherwise
    return doc


def assign_section_languages(
    document: Document, packs: Mapping[str, LanguagePack], document_language: str
) -> None:
    """Set ``Section.language`` on every section written in another language than the document's."""
    units: list[_Unit] = []
    for section in language_units(document):
        declared = declared_language(section)
        words = _words(section.all_text()) if declared is None else []
        units.append(_Unit(section, words, declared or _judge(words, packs, document_language)))
    decided = [u.language for u in units]
    chosen: dict[int, str] = {}
    for i, unit in enumerate(units):
        if unit.language is not None:
            chosen[id(unit.section)] = unit.language
            continue
        before = next((lang for lang in reversed(decided[:i]) if lang is not None), None)
        after = next((lang for lang in decided[i + 1 :] if lang is not None), None)
        chosen[id(unit.section)] = _short(unit, [before, after], packs, document_language)

    def walk(section: Section, inherited: str) -> None:
        lang = declared_language(section) or chosen.get(id(section)) or inherited
        section.language = lang if lang != document_language else None
        for child in section.children:
            walk(child, lang)

    for section in document.root.children:
        walk(section, document_language)


def section_languages(document: Document) -> list[str]:
    """The languages of the document's sections that are not the document's, in order of appearance."""
    found: list[str] = []
    for section in document.sections():
        if section.language is not None and section.language not in found:
            found.append(section.language)
    return found
