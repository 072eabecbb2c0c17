"""Contact channels in one string: email, phone, postal address, web form, chat, URL, hours.

This is the half of channel extraction that sees only text (:func:`find_channels`); the
document half (blocks, sections, link targets) is :mod:`policylint.extract.channels`. It is plain
regular expressions, with no spaCy, so rules, change review and tests reuse it cheaply.
Everything that depends on the language (street words, day names, "contact form", "live chat")
comes from a :class:`ChannelVocabulary` filled from the language pack; only language-independent
shapes (email, URL, phone digit groups, postcode formats) are written here.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .phrases import _alternation, _folded, _may_match, _needles, _per_vocabulary, maybe_pattern, vocab_key

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


def _compiled_for(vocab: ChannelVocabulary) -> _Compiled:
    """The compiled patterns of a vocabulary object."""
    compiled: _Compiled = _per_vocabulary("compiled", vocab, lambda v: _compile(vocab_key(v)))
    return compiled


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


@dataclass(frozen=True, slots=True)
class TextChannel:
    """A channel found in a string: text offsets, what is written and a normalised value."""

    kind: ChannelKind
    start: int
    end: int
    text: str
    value: str  # lower-cased email, "+"/digits of a phone, the URL, the phrase as written


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
        forms=maybe_pattern(vocab.form_phrases),
        chat=maybe_pattern(vocab.chat_phrases),
        contact=maybe_pattern(vocab.contact_phrases),
        phone_cue=maybe_pattern(vocab.phone_words),
        not_phone=maybe_pattern(vocab.not_phone_words),
        url_words=tuple(w.lower() for w in vocab.contact_url_words if w.strip()),
        day=day,
        day_range=day_range,
        time_range=time_range,
        lone_time=lone_time,
        clock=maybe_pattern(vocab.round_the_clock),
        forms_needles=_needles(vocab.form_phrases),
        chat_needles=_needles(vocab.chat_phrases),
        day_needles=_needles(vocab.day_names),
        clock_needles=_needles(vocab.round_the_clock),
    )


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


def invitation(text: str, vocab: ChannelVocabulary) -> re.Match[str] | None:
    """The first phrase of ``text`` that invites customers to get in touch ("contact us"), or
    None: where a rule can point when a policy asks to be contacted but has no contact section."""
    compiled = _compiled_for(vocab)
    return compiled.contact.search(text) if compiled.contact is not None else None


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
