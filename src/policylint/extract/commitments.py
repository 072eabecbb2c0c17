"""Commitments: a period of time tied to what it limits, in a language's own words.

Two readings of periods need more than the period itself. ``response-time`` asks whether a time
*limit* is stated at all ("within 2 business days", "next business day"): :func:`time_limits`.
``consistent-periods`` and change review ask *which* commitment a period belongs to (the return
window, refund timing) and whether the statement is scoped ("for sale items") so that it must
not be compared: :func:`find_commitments`. Both build on :mod:`policylint.extract.periods`;
every word comes from the language pack.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import Field

from ..document import Block, BlockRole, Document, Section
from .periods import Period, PeriodVocabulary, find_periods
from .phrases import (
    _cached_needles,
    _folded,
    _may_match,
    maybe_pattern,
    phrase_pattern,
    sentence_at,
    sentence_spans,
)


def time_limits(
    text: str,
    periods: PeriodVocabulary,
    before: Sequence[str],
    after: Sequence[str] = (),
    fixed: Sequence[str] = (),
) -> list[tuple[int, int]]:
    """Ranges of concrete time limits in ``text``, sorted: a period with a limit word right before
    it (``before``: "within 2 business days") or right after it (``after``: "2 päeva jooksul"),
    and fixed phrases that need no number (``fixed``: "next business day")."""
    limit = maybe_pattern(before)
    following = maybe_pattern(after)
    found: list[tuple[int, int]] = []
    if limit is not None or following is not None:
        for period in find_periods(text, periods):
            span = _limited(text, period, limit, following)
            if span is not None:
                found.append(span)
    fixed_pattern = maybe_pattern(fixed)
    if fixed_pattern is not None and _may_match(_folded(text), _cached_needles(tuple(fixed))):
        found.extend(m.span() for m in fixed_pattern.finditer(text))
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


class CommitmentVocabulary(PeriodVocabulary):
    """A language's words that tie a period to a commitment class and say when it is scoped."""

    commitments: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Commitment class -> phrases that mark it; classes no rule compares only claim periods.",
    )
    scope_words: list[str] = Field(
        default_factory=list, description="Words that scope a statement (sale items, EU): never compared."
    )
    not_after: list[str] = Field(
        default_factory=list, description="Words after a period that make it a notice, not a window (before)."
    )
    after_links: list[str] = Field(
        default_factory=list, description="Words between a period and a phrase after it (14 days to return)."
    )
    anchor_words: list[str] = Field(
        default_factory=list,
        description="Words before the event a period counts from (30 days after cancellation).",
    )
    anchor_nouns_only: bool = Field(
        default=False,
        description="Only a capitalised phrase can be the event a period counts from, in languages that "
        "capitalise nouns: 'nach Eingang der Rücksendung' is an event, 'nach der Lieferung zurückgeben' is not.",
    )
    after_gap_words: int = Field(
        default=0,
        ge=0,
        le=6,
        description="Words that may stand between a period and a phrase after it, for languages that put "
        "the verb last (innerhalb von 30 Tagen nach der Lieferung zurückgeben); no comma between.",
    )


@dataclass(frozen=True, slots=True)
class Commitment:
    """A period tied to a commitment class, where it stands, and whether it may be compared."""

    cls: str
    period: Period
    section: Section
    block: Block
    qualified: bool


def find_commitments(document: Document, params: CommitmentVocabulary) -> list[Commitment]:
    """Every period the document ties to a commitment class, in document order."""
    periods_vocab = PeriodVocabulary(**{k: getattr(params, k) for k in PeriodVocabulary.model_fields})
    phrase_class: dict[str, str] = {}
    for cls, phrases in params.commitments.items():
        for phrase in phrases:
            phrase_class.setdefault(" ".join(phrase.lower().split()), cls)
    if not phrase_class:
        return []
    cues = phrase_pattern(phrase_class, open_end=True)
    scope = phrase_pattern(params.scope_words, open_end=True) if params.scope_words else None
    after_not = (
        re.compile(r"\s*(?:" + phrase_pattern(params.not_after).pattern + ")", re.IGNORECASE)
        if params.not_after
        else None
    )
    links = (
        re.compile(r"\s+(?:" + phrase_pattern(params.after_links).pattern + r")\s+\Z", re.IGNORECASE)
        if params.after_links
        else None
    )
    anchor = (
        re.compile(r"(?<!\w)(?:" + _words(params.anchor_words) + r")(?:\s+[\w’']+){0,2}\s+\Z", re.IGNORECASE)
        if params.anchor_words
        else None
    )
    found: list[Commitment] = []
    for section, block in document.headings_and_blocks():
        if block.role == BlockRole.QUOTE:
            continue
        periods = find_periods(block.text, periods_vocab)
        if not periods:
            continue
        text = block.text
        marks = [
            (m.start(), m.end(), phrase_class.get(" ".join(m.group(0).lower().split()), ""))
            for m in cues.finditer(text)
            if anchor is None
            or (params.anchor_nouns_only and not m.group(0)[:1].isupper())
            or not anchor.search(text, max(0, m.start() - 40), m.start())
        ]
        starts = [m[0] for m in marks]
        ends = [m[1] for m in marks]
        spans = sentence_spans(text)
        in_block: list[tuple[Commitment, tuple[int, int]]] = []
        previous_end = 0
        for period in periods:
            sentence = sentence_at(spans, period.start)
            floor = max(sentence[0], previous_end)
            previous_end = period.end
            if after_not is not None and after_not.match(text, period.end):
                continue
            cls = _class_after(
                text, period, marks, starts, links, sentence, params.after_gap_words
            ) or _class_before(period, marks, ends, floor)
            if not cls:
                continue
            qualified = period.is_range or (
                scope is not None and scope.search(text[sentence[0] : sentence[1]]) is not None
            )
            in_block.append((Commitment(cls, period, section, block, qualified), sentence))
        # A sentence stating several different periods for one class lists cases: none is compared.
        for i, (item, sentence) in enumerate(in_block):
            clash = any(
                other.cls == item.cls and sent == sentence and not other.period.same_length(item.period)
                for j, (other, sent) in enumerate(in_block)
                if j != i
            )
            found.append(Commitment(item.cls, item.period, item.section, item.block, True) if clash else item)
    return found


def _words(words: Sequence[str]) -> str:
    return "|".join(sorted((re.escape(w.strip()) for w in words if w.strip()), key=len, reverse=True))


def _class_after(
    text: str,
    period: Period,
    marks: Sequence[tuple[int, int, str]],
    starts: Sequence[int],
    links: re.Pattern[str] | None,
    sentence: tuple[int, int],
    gap_words: int = 0,
) -> str:
    """A phrase glued after the period: "30-day return", "14 days to withdraw"; or, in a language
    that puts the verb last, up to ``gap_words`` words after it ("30 Tagen nach der Lieferung
    zurückgeben"), with no comma or other period between."""
    i = bisect_left(starts, period.end)
    if i >= len(marks) or marks[i][0] >= sentence[1]:
        return ""
    start, _, cls = marks[i]
    gap = text[period.end : start]
    if re.fullmatch(r"\s*-?\s*", gap) or (links is not None and links.fullmatch(gap)):
        return cls
    if gap_words and re.fullmatch(rf"(?:\s+[^\W\d]+){{0,{gap_words}}}\s+", gap):
        return cls
    return ""


def _class_before(
    period: Period, marks: Sequence[tuple[int, int, str]], ends: Sequence[int], floor: int
) -> str:
    """The nearest phrase before the period in its sentence, not used up by an earlier period."""
    i = bisect_right(ends, period.start) - 1
    if i >= 0 and marks[i][0] >= floor:
        return marks[i][2]
    return ""
