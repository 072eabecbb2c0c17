"""Contact channels: how customers can reach a person, found in prose with exact positions.

A customer-service policy is only useful if it says *how* to get help: customer-service guidance
asks for several channels (phone, email, post, web form, chat), opening hours and concrete response times.
This module has two halves:

* an **extractor** (:func:`find_channels` on a string, :func:`extract_channels` on a document)
  that finds email addresses, phone numbers, postal addresses, web forms and contact pages,
  chat, plain URLs and opening hours. It is plain regular expressions over the text, with no
  spaCy, so other kinds (``consistency.*``) and tests can reuse it cheaply. Everything that
  depends on the language (street words, day names, "contact form", "live chat") comes from a
  :class:`ChannelVocabulary` filled from the language pack; only language-independent shapes
  (email, URL, phone digit groups, postcode formats) are written here.
* three **rule kinds**: ``contact-channels`` (too few ways to reach a person),
  ``contact-section-channel`` (a contact section without a single concrete channel) and
  ``response-time`` (complaints or support discussed, no concrete answer time anywhere).

Vocabulary is matched on the *text* (case-insensitively, at the start of a word), not on lemmas
like the ``phrase`` kinds: the phrases are glued to numbers and addresses by regular
expressions, and the text keeps the positions exact.

Link targets that are not in a block's text (``[email us](mailto:help@example.com)`` in Markdown,
``<a href="tel:…">`` in HTML) are read from the block's source, so a channel behind a link still
counts; it is reported at the link's visible text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..classify import kinds_present, longest_first
from ..document import Block, BlockRole, Document, Section
from .base import CheckContext, Hit, RuleKind, render_message

ChannelKind = Literal["email", "phone", "postal", "web", "chat", "url", "hours"]

#: Channel kinds that are a way to reach a person (opening hours and plain URLs are not).
REACH_KINDS: tuple[ChannelKind, ...] = ("email", "phone", "postal", "web", "chat")
#: What makes a contact section concrete: any way to reach a person, or at least a link.
CONCRETE_KINDS: tuple[ChannelKind, ...] = (*REACH_KINDS, "url")

# ------------------------------------------------------------------------------------------
# Vocabulary
# ------------------------------------------------------------------------------------------


class ChannelVocabulary(BaseModel):
    """Language-specific words the channel extractor needs (``[rules."contact.*"]`` in rules/lang).

    Every list is matched case-insensitively at the start of a word, except ``street_words`` and
    ``street_words_first``, which are matched as written because a capital letter is what tells
    "418 Alder Street" from "3 ways".
    """

    model_config = ConfigDict(extra="forbid")

    street_words: list[str] = Field(
        default_factory=list, description="Street types that follow the house number (418 Alder Street)."
    )
    street_words_first: list[str] = Field(
        default_factory=list,
        description="Street types the house number follows (Hauptstraße 5); '-straße' matches as a suffix.",
    )
    po_box_words: list[str] = Field(default_factory=list, description="PO Box, Post Office Box …")
    form_phrases: list[str] = Field(
        default_factory=list, description="Web forms and help pages: contact form, help centre …"
    )
    chat_phrases: list[str] = Field(default_factory=list, description="live chat, chat with us …")
    contact_url_words: list[str] = Field(
        default_factory=list, description="Words in a URL that make it a contact page (contact, support)."
    )
    contact_phrases: list[str] = Field(
        default_factory=list, description="Phrases that invite customers to get in touch (contact us)."
    )
    phone_words: list[str] = Field(
        default_factory=list, description="Words that announce a phone number (call, phone, tel)."
    )
    not_phone_words: list[str] = Field(
        default_factory=list,
        description="Words that announce a number that is not a phone (order, invoice, fax).",
    )
    day_names: list[str] = Field(default_factory=list, description="Day names and abbreviations.")
    range_words: list[str] = Field(
        default_factory=list, description="to, through, until: day and time ranges."
    )
    time_markers: list[str] = Field(default_factory=list, description="am, pm, a.m., p.m.")
    time_words: list[str] = Field(default_factory=list, description="Words that stand for a time (noon).")
    round_the_clock: list[str] = Field(default_factory=list, description="24/7, around the clock.")

    def key(self) -> tuple[tuple[str, ...], ...]:
        """A hashable form, to cache compiled patterns and extraction results per vocabulary."""
        return tuple(tuple(getattr(self, name)) for name in type(self).model_fields)


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


def _compiled_for(vocab: ChannelVocabulary) -> _Compiled:
    """The compiled patterns of a vocabulary object."""
    compiled: _Compiled = _per_vocabulary("compiled", vocab, lambda v: _compile(vocab_key(v)))
    return compiled


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


# ------------------------------------------------------------------------------------------
# Language-independent shapes
# ------------------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}"
    r"(?![\w-])"
)
_URL = re.compile(r"(?<![\w@/])(?:https?://|www\.)[^\s<>\[\]\"'`]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"’”"

# Digit groups that may be a phone number; which ones really are is decided by _phone_form.
# A group after the first may have up to 8 digits: German and Croatian numbers are often written
# as area code and one subscriber group ("030 1234567", "+49 30 12345678").
_SEP = r"[ \u00a0.\-]"
_PHONE_CANDIDATE = re.compile(
    r"(?<![\w+@/#.,:%$€£¥\-])"
    rf"(?:\+\s?\d{{1,3}}{_SEP}?(?:\(\s?0\s?\){_SEP}?)?)?"
    rf"(?:\(\d{{1,5}}\){_SEP}?)?"
    rf"\d{{1,5}}(?:{_SEP}\d{{1,8}}){{0,6}}"
    r"(?![\w@]|[.,:/\-]\d)"
)
_GROUPS = re.compile(r"\d+")
_DATE_SHAPE = re.compile(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2})?")
_CURRENCY_BEFORE = re.compile(r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|DKK|NOK|SEK|CHF|CAD|AUD|kr)\.?)\s*$")
_NUMBER_LABEL_BEFORE = re.compile(r"(?:#|\bNo\.?|\bNr\.?|\bNum\.?)\s*:?\s*$", re.IGNORECASE)
_AFTER_NOT_PHONE = re.compile(r"\s*(?:%|[$€£¥])")

# Postcode formats are national, not linguistic, so they live here.
_POSTCODES = (
    # US city, state and ZIP: "Portland, OR 97204", "San Francisco, CA 94105-1234".
    re.compile(r"\b[A-Z][A-Za-z.'’-]*(?:\s+[A-Z][A-Za-z.'’-]*){0,3},\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"),
    # UK postcode: "BS1 4DJ", "SW1A 1AA".
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b"),
    # Canadian postal code: "K1A 0B1".
    re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b"),
    # Irish Eircode: "D04 X2K5".
    re.compile(r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4}\b"),
    # Country-prefixed European postcode and town: "DK-1050 København", "CH-8001 Zürich".
    re.compile(r"\b[A-Z]{1,2}-\d{4,5}\s+[A-ZÀ-ÞČĆŠŽĐ][^\W\d_]+"),
)

_ANY_DIGIT = re.compile(r"\d")
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


# ------------------------------------------------------------------------------------------
# Extraction
# ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextChannel:
    """A channel found in a string: text offsets, what is written and a normalised value."""

    kind: ChannelKind
    start: int
    end: int
    text: str
    value: str  # lower-cased email, "+"/digits of a phone, the URL, the phrase as written


@dataclass(frozen=True, slots=True)
class Channel:
    """A channel found in a document: the block and section it stands in, text offsets in the block.

    ``hidden`` channels come from a link target (``mailto:``, ``tel:``, ``href``); ``start``/``end``
    then cover the link's visible text and ``value`` holds the target.
    """

    kind: ChannelKind
    text: str
    value: str
    block: Block
    section: Section
    start: int
    end: int
    hidden: bool = False

    def source_range(self) -> tuple[int, int]:
        """Source offsets (start, exclusive end) in the original file."""
        return self.block.source_range(self.start, self.end)


@dataclass(frozen=True, slots=True)
class _Compiled:
    street: re.Pattern[str] | None
    street_first: re.Pattern[str] | None
    po_box: re.Pattern[str] | None
    forms: re.Pattern[str] | None
    chat: re.Pattern[str] | None
    contact: re.Pattern[str] | None
    phone_cue: re.Pattern[str] | None
    not_phone: re.Pattern[str] | None
    url_words: tuple[str, ...]
    day: re.Pattern[str] | None
    day_range: re.Pattern[str] | None
    time_range: re.Pattern[str] | None
    lone_time: re.Pattern[str] | None
    clock: re.Pattern[str] | None
    # Needles (see _needles) of the phrase patterns, to skip scans that cannot match.
    forms_needles: tuple[str, ...] | None = None
    chat_needles: tuple[str, ...] | None = None
    day_needles: tuple[str, ...] | None = None
    clock_needles: tuple[str, ...] | None = None


def _maybe(phrases: Sequence[str], *, open_end: bool = False) -> re.Pattern[str] | None:
    return phrase_pattern(phrases, open_end=open_end) if any(p.strip() for p in phrases) else None


@lru_cache(maxsize=32)
def _compile(key: tuple[tuple[str, ...], ...]) -> _Compiled:
    vocab = ChannelVocabulary(
        **dict(zip(ChannelVocabulary.model_fields, (list(k) for k in key), strict=True))
    )
    street = street_first = None
    if vocab.street_words:
        words = _alternation(vocab.street_words)
        street = re.compile(
            r"(?<![\w.,/-])\d{1,6}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?,?\s+"
            r"(?:[A-ZÀ-Þ][\w.'’-]*\s+){0,4}(?:" + words + r")(?!\w)\.?"
        )
    if vocab.street_words_first:
        suffixes = [w[1:] for w in vocab.street_words_first if w.startswith("-") and len(w) > 1]
        whole = [w for w in vocab.street_words_first if not w.startswith("-")]
        parts = []
        if suffixes:
            parts.append(r"[A-ZÀ-Þ][\w'’-]*(?:" + _alternation(suffixes) + r")")
        if whole:
            parts.append(r"(?:" + _alternation(whole) + r")(?:\s+[\w'’.-]+){0,3}?")
        street_first = re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")\s+\d{1,5}[A-Za-z]?(?!\w)")
    po_box = None
    if vocab.po_box_words:
        po_box = re.compile(r"(?<!\w)(?:" + _alternation(vocab.po_box_words) + r")\s*\d+", re.IGNORECASE)
    day: re.Pattern[str] | None = None
    day_range: re.Pattern[str] | None = None
    lone_time: re.Pattern[str] | None = None
    ranges = r"\s*(?:[-–—]|" + _alternation(vocab.range_words) + r")\s*"
    if vocab.day_names:
        one_day = r"(?<!\w)(?:" + _alternation(vocab.day_names) + r")(?:s|\.)?(?!\w)"
        day = re.compile(one_day, re.IGNORECASE)
        day_range = re.compile(one_day + ranges + one_day, re.IGNORECASE)
    markers = _alternation(vocab.time_markers) if vocab.time_markers else None
    time_names = _alternation(vocab.time_words) if vocab.time_words else None
    clock = r"\d{1,2}[:.]\d{2}(?!\d)"
    timed = [clock]
    if markers:
        timed.insert(0, r"\d{1,2}(?:[:.]\d{2})?\s*(?:" + markers + r")(?!\w)")
    if time_names:
        timed.append(r"(?:" + time_names + r")(?!\w)")
    time = r"(?:" + "|".join(timed) + r")"
    bare = r"\d{1,2}(?:[:.]\d{2})?(?:\s*(?:" + markers + r"))?" if markers else clock
    time_range = re.compile(r"(?<![\w.:/$€£])(?:" + bare + r")" + ranges + time, re.IGNORECASE)
    if markers:
        lone_time = re.compile(
            r"(?<![\w.:/$€£])\d{1,2}(?:[:.]\d{2})?\s*(?:" + markers + r")(?!\w)", re.IGNORECASE
        )
    return _Compiled(
        street=street,
        street_first=street_first,
        po_box=po_box,
        forms=_maybe(vocab.form_phrases),
        chat=_maybe(vocab.chat_phrases),
        contact=_maybe(vocab.contact_phrases),
        phone_cue=_maybe(vocab.phone_words),
        not_phone=_maybe(vocab.not_phone_words),
        url_words=tuple(w.lower() for w in vocab.contact_url_words if w.strip()),
        day=day,
        day_range=day_range,
        time_range=time_range,
        lone_time=lone_time,
        clock=_maybe(vocab.round_the_clock),
        forms_needles=_needles(vocab.form_phrases),
        chat_needles=_needles(vocab.chat_phrases),
        day_needles=_needles(vocab.day_names),
        clock_needles=_needles(vocab.round_the_clock),
    )


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


def _phone_form(candidate: str) -> Literal["strong", "weak"] | None:
    """Whether digit groups have the shape of a phone number: strong (no context needed) or weak.

    Strong: an international ``+CC`` number (8–15 digits, the E.164 limit), a North American
    number written with brackets, dashes or dots ((503) 555-0142, 503-555-0142, 1-800-555-0199),
    or a trunk-prefixed national number (020 7946 0018). Weak: other groups of 7–15 digits
    ("555 0100", "33 12 34 56") that only count with a phone word nearby.
    """
    text = candidate.strip()
    groups = _GROUPS.findall(text.replace("(0)", ""))
    digits = "".join(groups)
    if _DATE_SHAPE.fullmatch(text) or _YEAR_RANGE.fullmatch(text):
        return None
    if text.startswith("+"):
        return "strong" if 8 <= len(digits) <= 15 else None
    if len(digits) < 7 or len(digits) > 15:
        return None
    nanp = re.fullmatch(
        r"(?:1[ \u00a0.\-])?(?:\(\d{3}\)[ \u00a0.\-]?\d{3}[ \u00a0.\-]\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4})",
        text,
    )
    if nanp:
        return "strong"
    if len(groups) < 2:
        return None
    if groups[0].startswith("0") and 10 <= len(digits) <= 11 and len(groups) <= 4 and "." not in text:
        return "strong"
    if all(len(g) >= 2 for g in groups[1:]) and len(groups) <= 6:
        return "weak"
    return None


def _phones(text: str, compiled: _Compiled, taken: list[tuple[int, int]]) -> Iterator[TextChannel]:
    if _ANY_DIGIT.search(text) is None:
        return  # every phone candidate has a digit: most paragraphs are skipped here
    for match in _PHONE_CANDIDATE.finditer(text):
        if not any(ch.isdigit() for ch in match.group(0)):
            continue
        start = match.start()
        if any(start < e and s < match.end() for s, e in taken):
            continue
        before = text[max(0, start - 30) : start]
        if _CURRENCY_BEFORE.search(before) or _NUMBER_LABEL_BEFORE.search(before):
            continue
        if compiled.not_phone is not None and compiled.not_phone.search(text[max(0, start - 25) : start]):
            continue
        # Try the whole run of groups, then drop trailing groups: "503-555-0142 9 am" is a phone.
        candidate = match.group(0)
        form = None
        while candidate:
            form = _phone_form(candidate)
            if form is not None:
                break
            cut = max(
                candidate.rfind(" "), candidate.rfind("\u00a0"), candidate.rfind("-"), candidate.rfind(".")
            )
            if cut <= 0:
                break
            candidate = candidate[:cut]
        if form is None or not candidate:
            continue
        end = start + len(candidate)
        if _AFTER_NOT_PHONE.match(text, end):
            continue
        if form == "weak":
            window = text[max(0, start - 50) : start]
            if compiled.phone_cue is None or not compiled.phone_cue.search(window):
                continue
        digits = "".join(_GROUPS.findall(candidate.replace("(0)", "")))
        value = ("+" if candidate.startswith("+") else "") + digits
        yield TextChannel("phone", start, end, candidate, value)


def _merge(hits: list[tuple[int, int]], text: str, max_gap: int) -> list[tuple[int, int]]:
    """Join ranges separated by a short gap that stays in one sentence (an address over parts)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(hits):
        if merged:
            prev_start, prev_end = merged[-1]
            gap = text[prev_end:start]
            if start <= prev_end or (len(gap) <= max_gap and not re.search(r"[.!?;]\s|\n\n", gap)):
                merged[-1] = (prev_start, max(prev_end, end))
                continue
        merged.append((start, end))
    return merged


def _postal(text: str, compiled: _Compiled) -> list[tuple[int, int]]:
    if _ANY_DIGIT.search(text) is None:
        return []  # every address pattern has a house number, box number or postcode
    hits: list[tuple[int, int]] = []
    for pattern in (compiled.street, compiled.street_first, compiled.po_box, *_POSTCODES):
        if pattern is None:
            continue
        hits.extend(m.span() for m in pattern.finditer(text))
    return _merge(hits, text, 40)


def _hours(text: str, compiled: _Compiled, folded: str | None = None) -> list[tuple[int, int]]:
    """Opening hours. ``folded`` (from :func:`_folded`) lets scans that cannot match be skipped."""
    # Time ranges and lone times start with a digit: without one only day ranges and "24/7"
    # phrases are looked for (most paragraphs have no digit).
    digits = _ANY_DIGIT.search(text) is not None
    days = _may_match(folded, compiled.day_needles)
    clock = _may_match(folded, compiled.clock_needles)
    firm: list[tuple[int, int]] = []
    for pattern in (
        compiled.day_range if days else None,
        compiled.time_range if digits else None,
        compiled.clock if clock else None,
    ):
        if pattern is not None:
            firm.extend(m.span() for m in pattern.finditer(text) if _valid_times(m.group(0)))
    if not firm:
        return []
    # A lone day or time only counts beside a range: "Saturday 10:00–14:00", "Mon–Fri, until 6 pm".
    firm.sort()
    starts = [s for s, _ in firm]
    extra: list[tuple[int, int]] = []
    for pattern in (compiled.day if days else None, compiled.lone_time if digits else None):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            i = bisect_left(starts, m.start())
            near = firm[max(0, i - 1) : i + 1]
            if any(s <= m.start() < e for s, e in near):
                continue
            if any(abs(m.start() - e) <= 20 or abs(s - m.end()) <= 20 for s, e in near):
                extra.append(m.span())
    return _merge(firm + extra, text, 20)


def _valid_times(text: str) -> bool:
    """Hours up to 24 and minutes below 60, so "9.99–19.99" (a price range) is not opening hours."""
    for hour, minute in re.findall(r"(\d{1,2})[:.](\d{2})", text):
        if int(hour) > 24 or int(minute) >= 60:
            return False
    return all(int(h) <= 24 for h in re.findall(r"(?<![\d:.])(\d{1,2})(?![\d])", text))


def _is_contact_url(url: str, compiled: _Compiled) -> bool:
    lowered = url.lower()
    for scheme in ("https://", "http://"):
        if lowered.startswith(scheme):
            lowered = lowered[len(scheme) :]
    tokens = [t for t in re.split(r"[^a-z0-9\u00c0-\u024f]+", lowered) if t]
    return any(t.startswith(word) for t in tokens for word in compiled.url_words)


def _invited(text: str, start: int, compiled: _Compiled, end: int | None = None) -> bool:
    """True when a contact phrase ("contact us") stands shortly before ``start`` in one sentence.

    With ``end``, the text up to it counts too: a link whose own text says "send us a note".
    """
    if compiled.contact is None:
        return False
    window = text[max(0, start - 80) : start if end is None else end]
    cut = max((m.end() for m in re.finditer(r"[.!?;]\s", window)), default=0)
    return compiled.contact.search(window[cut:]) is not None


def _urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, URL) of every URL in ``text``, trailing punctuation and an unmatched ")" left out.

    Every URL has "://" or a case-insensitive "www.", so most paragraphs skip the scan.
    """
    if "://" not in text and "www." not in text.lower():
        return []
    found: list[tuple[int, int, str]] = []
    for match in _URL.finditer(text):
        stripped = match.group(0).rstrip(_URL_TRAILING)
        if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
            stripped = stripped[:-1]
        found.append((match.start(), match.start() + len(stripped), stripped))
    return found


def _emails(text: str, taken: Sequence[tuple[int, int]]) -> list[TextChannel]:
    """Email addresses in ``text`` that overlap none of the ``taken`` ranges (the URLs).

    The address pattern backtracks over every word, so text without an "@" is not scanned.
    """
    if "@" not in text:
        return []
    return [
        TextChannel("email", match.start(), match.end(), match.group(0), match.group(0).lower())
        for match in _EMAIL.finditer(text)
        if all(match.end() <= s or match.start() >= e for s, e in taken)
    ]


def find_channels(text: str, vocab: ChannelVocabulary) -> list[TextChannel]:
    """Every contact channel in ``text``, in order; overlapping finds are resolved by precedence.

    Emails and URLs come first (an address inside a URL is not a street), then phrases, then
    phone numbers and postal addresses outside them, then opening hours.
    """
    compiled = _compiled_for(vocab)
    found: list[TextChannel] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    def add(channel: TextChannel) -> None:
        found.append(channel)
        taken.append((channel.start, channel.end))

    for start, end, stripped in _urls(text):
        kind: ChannelKind = "url"
        if _is_contact_url(stripped, compiled) or _invited(text, start, compiled):
            kind = "web"
        add(TextChannel(kind, start, end, stripped, stripped))
    for channel in _emails(text, taken):
        add(channel)
    folded = _folded(text)
    for kind_name, pattern, needles in (
        ("web", compiled.forms, compiled.forms_needles),
        ("chat", compiled.chat, compiled.chat_needles),
    ):
        if pattern is None or not _may_match(folded, needles):
            continue
        for match in pattern.finditer(text):
            if free(*match.span()):
                phrase_kind: ChannelKind = "web" if kind_name == "web" else "chat"
                add(
                    TextChannel(
                        phrase_kind, match.start(), match.end(), match.group(0), match.group(0).lower()
                    )
                )
    for channel in list(_phones(text, compiled, taken)):
        add(channel)
    for start, end in _postal(text, compiled):
        if free(start, end):
            add(TextChannel("postal", start, end, text[start:end], " ".join(text[start:end].split())))
    for start, end in _hours(text, compiled, folded):
        if free(start, end):
            add(TextChannel("hours", start, end, text[start:end], " ".join(text[start:end].split())))
    found.sort(key=lambda c: (c.start, c.end))
    return found


# Link targets that a block's text does not show.
# Any target but an anchor on the same page: "{{ site.email_support }}" (a site template) is a
# link to somewhere customers can write, even if policylint cannot read where.
_MD_TARGET = re.compile(r"\]\(\s*<?(?P<target>(?!#)[^)\s>]+)")
_HTML_HREF = re.compile(
    r"<a\b[^>]*?\bhref\s*=\s*(?P<q>[\"'])(?P<target>(?!#|javascript:)[^\"']+)(?P=q)[^>]*>",
    re.IGNORECASE,
)
_CLOSE_A = re.compile(r"</a\b", re.IGNORECASE)
_LEADING_TAGS = re.compile(r"(?:<[^<>]*>\s*|\[\s*)+\Z")


def _source_starts(block: Block) -> list[int]:
    return block.smap.starts(len(block.text))


def _text_span(starts: list[int], s0: int, s1: int) -> tuple[int, int]:
    """Text offsets of the block characters whose source position lies in ``[s0, s1)``."""
    return bisect_left(starts, s0), bisect_left(starts, s1)


def _hidden_targets(
    document: Document, block: Block, compiled: _Compiled
) -> Iterator[tuple[ChannelKind, str, int, int]]:
    """(kind, value, text start, text end) of link targets behind the block's visible text."""
    if not block.text:
        return
    source = document.source
    lo, hi = block.source_start, block.source_end
    before = source[max(0, lo - 400) : lo].rstrip()
    # Only text right after a tag or "[" can be a link's text; the anchored search is costly.
    lead = _LEADING_TAGS.search(source, max(0, lo - 400), lo) if before.endswith((">", "[")) else None
    if lead is not None:
        lo = lead.start()
    hi = min(len(source), hi + 400)
    window = source[lo:hi]
    if "](" not in window and "href" not in window.lower():
        return
    starts: list[int] | None = None
    for match in _MD_TARGET.finditer(window):
        close = lo + match.start()
        if close > block.source_end + 3:
            break
        depth, open_at = 0, -1
        for i in range(close - 1, max(lo, close - 400) - 1, -1):
            ch = source[i]
            if ch == "]":
                depth += 1
            elif ch == "[":
                if depth == 0:
                    open_at = i
                    break
                depth -= 1
        if open_at < 0:
            continue
        starts = starts if starts is not None else _source_starts(block)
        a, b = _text_span(starts, open_at + 1, close)
        if a < b:
            yield from _classify_target(match.group("target"), a, b, block.text, compiled)
    for match in _HTML_HREF.finditer(window):
        tag_end = lo + match.end()
        if tag_end > block.source_end:
            break
        close_tag = _CLOSE_A.search(source, tag_end)
        closing = close_tag.start() if close_tag is not None else -1
        starts = starts if starts is not None else _source_starts(block)
        a, b = _text_span(starts, tag_end, closing if closing != -1 else block.source_end)
        if a < b:
            yield from _classify_target(match.group("target"), a, b, block.text, compiled)


def _classify_target(
    target: str, start: int, end: int, text: str, compiled: _Compiled
) -> Iterator[tuple[ChannelKind, str, int, int]]:
    lowered = target.lower()
    if lowered.startswith("mailto:"):
        address = target[len("mailto:") :].split("?", 1)[0]
        if _EMAIL.fullmatch(address):
            yield "email", address.lower(), start, end
    elif lowered.startswith("tel:"):
        digits = "".join(_GROUPS.findall(target))
        if 7 <= len(digits) <= 15:
            yield "phone", ("+" if "+" in target else "") + digits, start, end
    else:
        kind: ChannelKind = (
            "web" if _is_contact_url(target, compiled) or _invited(text, start, compiled, end) else "url"
        )
        yield kind, target, start, end


def _blocks_with_sections(document: Document) -> Iterator[tuple[Section, Block]]:
    for section in document.all_sections():
        if section.heading is not None:
            yield section, section.heading
        for block in section.blocks:
            yield section, block


def extract_channels(document: Document, vocab: ChannelVocabulary) -> list[Channel]:
    """Every contact channel of a document (headings included), in document order."""
    compiled = _compiled_for(vocab)
    channels: list[Channel] = []
    for section, block in _blocks_with_sections(document):
        visible = find_channels(block.text, vocab)
        for c in visible:
            channels.append(Channel(c.kind, c.text, c.value, block, section, c.start, c.end))
        for kind, value, start, end in _hidden_targets(document, block, compiled):
            if any(
                v.kind == kind and (v.value == value.lower() or (v.start < end and start < v.end))
                for v in visible
            ):
                continue
            channels.append(
                Channel(kind, block.text[start:end], value, block, section, start, end, hidden=True)
            )
    return channels


#: The vocabulary :func:`extract_emails` compiles: an address is found the same with any.
_NO_VOCABULARY = ChannelVocabulary()


def extract_emails(document: Document) -> list[Channel]:
    """The email channels of :func:`extract_channels`, without looking for any other kind.

    Which text is an email address does not depend on the vocabulary (only URLs take precedence
    over an address, and a hidden one comes from a ``mailto:`` target), so this is the same list
    for every vocabulary, found at a fraction of the cost: ``consistent-contacts`` needs no more.
    """
    mailto = "mailto:" in document.source.lower()
    compiled = _compiled_for(_NO_VOCABULARY)
    channels: list[Channel] = []
    for section, block in _blocks_with_sections(document):
        text = block.text
        visible = _emails(text, [(s, e) for s, e, _ in _urls(text)]) if "@" in text else []
        for c in visible:
            channels.append(Channel(c.kind, c.text, c.value, block, section, c.start, c.end))
        if not mailto:
            continue  # a hidden address is a mailto: target, which the source would show
        for kind, value, start, end in _hidden_targets(document, block, compiled):
            if kind != "email" or any(
                v.value == value.lower() or (v.start < end and start < v.end) for v in visible
            ):
                continue
            channels.append(Channel(kind, text[start:end], value, block, section, start, end, hidden=True))
    return channels


def document_channels(ctx: CheckContext, vocab: ChannelVocabulary) -> list[Channel]:
    """Channels of the checked document, extracted once per vocabulary and shared between rules."""
    return ctx.memo(
        "contact.channels:" + repr(vocab_key(vocab)), lambda: extract_channels(ctx.document, vocab)
    )


def channels_in(section: Section, channels: Sequence[Channel]) -> list[Channel]:
    """Channels that stand in ``section`` or any of its subsections."""
    inside = {id(s) for s in section.walk()}
    return [c for c in channels if id(c.section) in inside]


# ------------------------------------------------------------------------------------------
# Periods ("within 2 business days"): shared with consistency.*
# ------------------------------------------------------------------------------------------


class PeriodVocabulary(BaseModel):
    """Words that make a period of time: units (with their length in hours) and number words."""

    model_config = ConfigDict(extra="forbid")

    units: dict[str, float] = Field(default_factory=dict, description="Unit word -> length in hours.")
    number_words: dict[str, float] = Field(default_factory=dict, description="Number word -> value.")
    business_words: list[str] = Field(default_factory=list, description="business, working (days).")
    calendar_words: list[str] = Field(default_factory=list, description="calendar (days).")
    business_units: list[str] = Field(
        default_factory=list,
        description="Units that are business days in one word (Werktage, hverdage, tööpäeva); also in units.",
    )
    range_words: list[str] = Field(
        default_factory=list, description="Words between two numbers of a range (3 to 5 days, 3 bis 5 Tage)."
    )

    @field_validator("units")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in value.items() if v <= 0]
        if bad:
            raise ValueError(f"unit lengths must be positive hours, got {bad}")
        return {k.lower(): v for k, v in value.items()}

    def key(self) -> tuple[object, ...]:
        return (
            tuple(sorted(self.units.items())),
            tuple(sorted((k.lower(), v) for k, v in self.number_words.items())),
            tuple(self.business_words),
            tuple(self.calendar_words),
            tuple(w.lower() for w in self.business_units),
            tuple(self.range_words),
        )


@dataclass(frozen=True, slots=True)
class Period:
    """A stated period of time: "within 30 days" has amount 30, unit "days", 720 hours."""

    start: int
    end: int
    text: str
    amount: float
    hours: float
    business: bool
    is_range: bool  # "3-5 business days": concrete, but not one comparable value

    def same_length(self, other: Period) -> bool:
        if self.business != other.business:
            return False
        return abs(self.hours - other.hours) <= 0.01 * max(self.hours, other.hours)


@lru_cache(maxsize=32)
def _period_pattern(key: tuple[object, ...]) -> re.Pattern[str] | None:
    units, numbers, business, calendar, _, ranges = key
    assert isinstance(units, tuple) and isinstance(numbers, tuple)
    assert isinstance(business, tuple) and isinstance(calendar, tuple) and isinstance(ranges, tuple)
    if not units:
        return None
    number = r"\d+(?:[.,]\d+)?"
    if numbers:
        number += "|" + _alternation(k for k, _ in numbers)
    quals = _alternation([*business, *calendar])
    # A range word ("to", "bis", "do") is a word of its own; a dash may stand without spaces.
    joins = r"\s*[-–—]\s*" + (r"|\s+(?:" + _alternation(ranges) + r")\s+" if ranges else "")
    return re.compile(
        rf"(?<![\w.,])(?P<num>{number})(?:(?:{joins})(?P<num2>{number}))?"
        r"(?:\s*\([\w\s-]{1,20}\))?"
        rf"(?:\s+|\s*-\s*)(?:(?P<qual>{quals})(?:\s+|\s*-\s*))?"
        rf"(?P<unit>{_alternation(k for k, _ in units)})(?!\w)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=32)
def _period_words(key: tuple[object, ...]) -> tuple[dict[str, float], frozenset[str], frozenset[str]]:
    """Number words, business-day words and business-day units of a vocabulary, lowercased
    (see PeriodVocabulary.key)."""
    numbers_items = key[1]
    business_words = key[2]
    business_units = key[4]
    assert isinstance(numbers_items, tuple) and isinstance(business_words, tuple)
    assert isinstance(business_units, tuple)
    return (
        dict(numbers_items),
        frozenset(str(w).lower() for w in business_words),
        frozenset(str(w).lower() for w in business_units),
    )


@lru_cache(maxsize=32)
def _unit_words(key: tuple[object, ...]) -> tuple[str, ...] | None:
    """What every period's unit starts with (each unit up to its first space), or None when a unit
    is not ASCII: case-insensitive matching then has Unicode folds a lowercased search misses."""
    units = key[0]
    assert isinstance(units, tuple)
    words = tuple(sorted({str(unit).strip().split(" ", 1)[0].lower() for unit, _ in units}))
    return words if all(w.isascii() for w in words) else None


def _may_have_unit(text: str, key: tuple[object, ...]) -> bool:
    """False when ``text`` has none of the unit words, so it cannot state a period.

    For ASCII words, the pattern's case-insensitive match finds only ASCII letters (or one of
    :data:`_FOLDS_TO_ASCII`), so without those a substring test on the lowercased text decides.
    It is far cheaper than the pattern, whose number words ("a", "one") start a match attempt
    at almost every word.
    """
    words = _unit_words(key)
    if words is None or (not text.isascii() and any(ch in text for ch in _FOLDS_TO_ASCII)):
        return True
    lowered = text.lower()
    return any(word in lowered for word in words)


def find_periods(text: str, vocab: PeriodVocabulary) -> list[Period]:
    """Every "number + time unit" in ``text`` ("30 days", "one month", "5-business-day")."""
    key = vocab_key(vocab)
    pattern = _period_pattern(key)
    if pattern is None or not _may_have_unit(text, key):
        return []
    numbers, business, business_units = _period_words(key)
    periods: list[Period] = []
    for match in pattern.finditer(text):
        value = _number(match.group("num2") or match.group("num"), numbers)
        if value is None:
            continue
        unit_word = match.group("unit").lower()
        unit = vocab.units.get(unit_word)
        if unit is None:
            continue
        qual = (match.group("qual") or "").lower()
        periods.append(
            Period(
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                amount=value,
                hours=value * unit,
                business=" ".join(qual.split()) in business or unit_word in business_units,
                is_range=match.group("num2") is not None,
            )
        )
    return periods


def _number(text: str, words: dict[str, float]) -> float | None:
    cleaned = text.lower().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return words.get(" ".join(cleaned.split()))


# ------------------------------------------------------------------------------------------
# Rule kinds
# ------------------------------------------------------------------------------------------

_CHANNEL_KEYS = tuple(ChannelVocabulary.model_fields)


class ContactChannelsParams(ChannelVocabulary):
    min_channels: int = Field(default=2, ge=1, le=5, description="Distinct channel kinds a customer needs.")


def _vocab(params: BaseModel) -> ChannelVocabulary:
    return ChannelVocabulary(**{k: getattr(params, k) for k in _CHANNEL_KEYS})


def _join(labels: list[str], conjunction: str) -> str:
    if len(labels) <= 1:
        return "".join(labels)
    return ", ".join(labels[:-1]) + f" {conjunction} " + labels[-1]


class ContactChannels(RuleKind):
    """Too few distinct ways to reach a person (email, phone, post, web form, chat).

    Only for a policy customers act on: one with a contact or complaints section, or one that
    invites customers to get in touch. A document that never asks to be contacted (a security
    overview, a list of subprocessors) has nothing to add.
    """

    kind = "contact-channels"
    uses_nlp = False
    Params = ContactChannelsParams
    language_keys = _CHANNEL_KEYS
    vocabulary_keys = _CHANNEL_KEYS

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ContactChannelsParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        vocab = _vocab(params)
        present = ctx.memo(
            "kinds_present", lambda: kinds_present(ctx.document, ctx.language, ctx.section_packs)
        )
        anchor = _first_heading(present, ("contact", "complaints"))
        invitation = None if anchor is not None else _first_invitation(ctx.document, vocab)
        if anchor is None and invitation is None:
            return
        channels = document_channels(ctx, vocab)
        kinds = [k for k in REACH_KINDS if any(c.kind == k for c in channels)]
        if len(kinds) >= params.min_channels:
            return
        # Channel names, "and", "or": the language pack's [labels] (English when it has none).
        labels = ctx.language.labels
        if kinds:
            named = _join([labels.channels.get(k, k) for k in kinds], labels.and_word or "and")
            found = render_message(labels.channels_found or "{channels}", {"channels": named})
        else:
            found = labels.channels_none or "none"
        missing = [labels.channels_to_add.get(k, k) for k in REACH_KINDS if k not in kinds]
        fields = {
            "found": found,
            "count": len(kinds),
            "min": params.min_channels,
            "add": _join(missing, labels.or_word or "or"),
            "channels": ", ".join(kinds) or "none",
        }
        if anchor is not None:
            yield self.section_hit(anchor, **fields)
        elif invitation is not None:
            section, block, start, end = invitation
            yield self.block_hit(block, start, end, section, **fields)


def is_document_title(section: Section) -> bool:
    """True for the heading that titles the whole document ("# Customer Service Policy").

    Its kind comes from the document's name, not from what stands under it, so a finding about a
    contact section should point at the real one below it.
    """
    parent = section.parent
    return (
        parent is not None and parent.level == 0 and parent.children == [section] and bool(section.children)
    )


def sections_of(present: dict[str, list[Section]], kinds: Sequence[str], min_score: float) -> list[Section]:
    """Sections of these kinds whose kind is at least this sure (2 title, 1 content, 0.5 inherited).

    A secondary kind of a title ("Data privacy questions?" is privacy first, contact second)
    counts as a title match.
    """
    found: list[Section] = []
    for kind in kinds:
        for section in present.get(kind, []):
            if (section.kind != kind or section.kind_score >= min_score) and section not in found:
                found.append(section)
    return found


def _first_heading(
    present: dict[str, list[Section]], kinds: Sequence[str], min_score: float = 1.0
) -> Section | None:
    """The first section of these kinds with a heading: the surest kind first, the title last."""
    candidates = [s for s in sections_of(present, kinds, 0.0) if s.heading is not None]

    def rank(section: Section) -> tuple[bool, bool, int]:
        weak = section.kind in kinds and section.kind_score < min_score
        start = section.heading.source_start if section.heading is not None else 0
        return is_document_title(section), weak, start

    return min(candidates, key=rank, default=None)


def _first_invitation(document: Document, vocab: ChannelVocabulary) -> tuple[Section, Block, int, int] | None:
    compiled = _compiled_for(vocab)
    if compiled.contact is None:
        return None
    for section, block in _blocks_with_sections(document):
        match = compiled.contact.search(block.text)
        if match is not None:
            return section, block, match.start(), match.end()
    return None


class ContactSectionChannelParams(ChannelVocabulary):
    other_party_titles: list[str] = Field(
        default_factory=list,
        description="Words of a heading about reaching someone else (a supervisory authority, an "
        "ombudsman): such a section is not the business's own contact section.",
    )


class ContactSectionChannel(RuleKind):
    """A contact section that names no concrete channel ("questions may be submitted via the website").

    Sections count when their kind is contact by title or by content (not when only inherited from
    a parent, which is judged itself), or when a secondary title kind is contact ("Data privacy
    questions?"). Channels in subsections count for the section; an empty section is left to
    ``sections.empty-section``, and a subsection is not reported again under a reported parent.
    """

    kind = "contact-section-channel"
    uses_nlp = False
    Params = ContactSectionChannelParams
    language_keys = (*_CHANNEL_KEYS, "other_party_titles")
    vocabulary_keys = _CHANNEL_KEYS

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ContactSectionChannelParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        vocab = _vocab(params)
        present = ctx.memo(
            "kinds_present", lambda: kinds_present(ctx.document, ctx.language, ctx.section_packs)
        )
        sure = {id(s) for s in sections_of(present, ("contact",), 1.0)}
        others = (
            phrase_pattern(params.other_party_titles, open_end=True) if params.other_party_titles else None
        )
        channels: list[Channel] | None = None
        reported: set[int] = set()
        sections = list(ctx.document.sections())
        for index, section in enumerate(sections):
            is_contact = id(section) in sure
            if not is_contact or section.heading is None or is_document_title(section):
                continue  # the document's title: whether the document has channels is too-few's job
            if not section.children and not any(b.text.strip() for b in section.blocks):
                continue  # an empty section: sections.empty-section says so
            if any(id(a) in reported for a in _ancestors(section)):
                continue
            if others is not None and others.search(section.title):
                continue  # how to reach a regulator or an ombudsman, not the business
            if channels is None:
                channels = document_channels(ctx, vocab)
            parts = (section, *_flattened_items(section, sections, index))
            inside = [c for part in parts for c in channels_in(part, channels)]
            if any(c.kind in CONCRETE_KINDS for c in inside):
                continue
            reported.add(id(section))
            yield self.section_hit(section, title=section.title)


#: Headings this short that follow a section ending in a colon are the items of its list.
_ITEM_TITLE_WORDS = 4


def _flattened_items(section: Section, sections: Sequence[Section], index: int) -> list[Section]:
    """The sections that continue ``section`` although they stand at its level: "Contact us: you
    can reach us in the following ways:" followed by "Online:" and "By Mail:" headings (web pages
    exported to Markdown flatten such lists). Only short headings after a text that ends in a
    colon count."""
    texts = [b.text.strip() for b in section.blocks if b.text.strip()]
    if not texts or not texts[-1].endswith(":"):
        return []
    items: list[Section] = []
    for following in sections[index + 1 :]:
        if following.level != section.level or len(following.title.split()) > _ITEM_TITLE_WORDS:
            break
        items.append(following)
    return items


def _ancestors(section: Section) -> Iterator[Section]:
    node = section.parent
    while node is not None:
        yield node
        node = node.parent


class ResponseTimeParams(PeriodVocabulary):
    triggers: list[str] = Field(
        default_factory=list, description="Phrases that show complaints or support are discussed."
    )
    commitment_words: list[str] = Field(
        default_factory=list, description="Words that turn a period into a limit: within, no later than."
    )
    commitment_words_after: list[str] = Field(
        default_factory=list,
        description="Words right after a period that make it a limit, in languages that put them there (jooksul).",
    )
    fixed_commitments: list[str] = Field(
        default_factory=list, description="Concrete times without a number: same day, next business day."
    )
    response_words: list[str] = Field(
        default_factory=list, description="Words about answering, so a period elsewhere is about responding."
    )
    section_kinds: list[str] = Field(
        default=["complaints", "contact"],
        description="Section kinds where complaints and support are discussed.",
    )


_RESPONSE_KEYS = (
    *PeriodVocabulary.model_fields,
    "triggers",
    "commitment_words",
    "commitment_words_after",
    "fixed_commitments",
    "response_words",
)


class ResponseTime(RuleKind):
    """Complaints or support are discussed, but no concrete answer time is promised anywhere.

    A commitment is a limit word plus a period ("within 2 business days", "no later than 14
    days", "within one month") or a fixed time ("the next business day"). To keep a returns window
    ("return within 30 days") from passing for a response time, the period must stand in a
    complaints or contact section, or in a sentence about answering ("we reply", "respond").
    """

    kind = "response-time"
    uses_nlp = False
    Params = ResponseTimeParams
    language_keys = _RESPONSE_KEYS
    vocabulary_keys = _RESPONSE_KEYS

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ResponseTimeParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        present = ctx.memo(
            "kinds_present", lambda: kinds_present(ctx.document, ctx.language, ctx.section_packs)
        )
        # Only a section whose TITLE says complaints or contact: content alone also puts a
        # "Miscellanea" clause list with one "contact us" line among contact sections.
        titled = {k: sections_of(present, (k,), 2.0) for k in params.section_kinds}
        anchor = _first_heading(titled, params.section_kinds)
        trigger = None
        if anchor is None:
            pattern = _maybe(params.triggers, open_end=True)
            if pattern is not None:
                for section, block in ctx.document.blocks():
                    if block.role == BlockRole.TABLE_CELL:
                        continue  # "Customer service interactions" in a table of data categories
                    match = pattern.search(block.text)
                    if match is not None:
                        trigger = (section, block, match)
                        break
            if trigger is None:
                return
        if _has_commitment(ctx.document, params, present):
            return
        if anchor is not None:
            yield self.section_hit(anchor, where=anchor.title)
        elif trigger is not None:
            section, block, match = trigger
            yield self.block_hit(block, match.start(), match.end(), section, where=match.group(0))


def commitments(text: str, params: ResponseTimeParams) -> list[tuple[int, int]]:
    """Ranges of concrete time limits in ``text``: "within 2 business days", "next business day"."""
    periods = PeriodVocabulary(**{k: getattr(params, k) for k in PeriodVocabulary.model_fields})
    return _commitments(text, periods, params)


def _commitments(text: str, periods: PeriodVocabulary, params: ResponseTimeParams) -> list[tuple[int, int]]:
    limit = _maybe(params.commitment_words)
    after = _maybe(params.commitment_words_after)
    found: list[tuple[int, int]] = []
    if limit is not None or after is not None:
        for period in find_periods(text, periods):
            span = _limited(text, period, limit, after)
            if span is not None:
                found.append(span)
    fixed = _maybe(params.fixed_commitments)
    if fixed is not None and _may_match(_folded(text), _cached_needles(tuple(params.fixed_commitments))):
        found.extend(m.span() for m in fixed.finditer(text))
    return sorted(found)


def _limited(
    text: str, period: Period, before: re.Pattern[str] | None, after: re.Pattern[str] | None
) -> tuple[int, int] | None:
    """The range of a period with its limit word, when one stands right before it ("within 2
    days") or, in languages that put it there, right after it ("2 päeva jooksul"); else None."""
    if before is not None:
        window = text[max(0, period.start - 40) : period.start]
        for match in before.finditer(window):
            if not window[match.end() :].strip(" \u00a0"):
                return period.start - len(window) + match.start(), period.end
    if after is not None:
        gap = re.match(r"[ \u00a0]+", text[period.end :])
        if gap is not None:
            limit = after.match(text, period.end + gap.end())
            if limit is not None:
                return period.start, limit.end()
    return None


@lru_cache(maxsize=64)
def _cached_needles(phrases: tuple[str, ...]) -> tuple[str, ...] | None:
    """:func:`_needles` of a phrase list that is not compiled with the channel vocabulary."""
    return _needles(phrases)


def _has_commitment(
    document: Document, params: ResponseTimeParams, present: dict[str, list[Section]]
) -> bool:
    in_kind = {id(s) for k in params.section_kinds for s in present.get(k, [])}
    for section in document.sections():
        if section.kind in params.section_kinds:
            in_kind.add(id(section))
    response = _maybe(params.response_words, open_end=True)
    periods = PeriodVocabulary(**{k: getattr(params, k) for k in PeriodVocabulary.model_fields})
    for section, block in _blocks_with_sections(document):
        found = _commitments(block.text, periods, params)
        if not found:
            continue
        if id(section) in in_kind:
            return True
        if response is None:
            continue
        spans = sentence_spans(block.text)
        for start, _ in found:
            s0, s1 = sentence_at(spans, start)
            if response.search(block.text[s0:s1]):
                return True
    return False
