"""Consistency: the same commitment stated differently in two places of one policy.

A policy that says "return within 30 days" in one section and "14 days" in another leaves the
customer to guess, and the business bound by whichever reading a regulator or court prefers
(an ambiguous term is read against the one who wrote it). PolicyLint (Andow et al., USENIX
Security 2019) found such self-contradictions in 14% of the privacy policies it studied. Every
finding here points at the *second* statement and names the first one's line and text, so both
places are in front of the reader.

Kinds:

* ``consistent-periods``: periods stated for one commitment (the return window, the withdrawal
  period, the time to refund). Each period is tied to the nearest commitment phrase before it in
  its sentence (or a phrase glued after it: "30-day return"), so "we refund within 5 business
  days" is refund timing, never the return window; only like is compared with like.
* ``consistent-dates``: two different effective dates, or two different last-updated dates, not
  counting a version history.
* ``consistent-contacts``: two different email addresses for the same purpose (support, general
  enquiries, or the same "contact us at …" sentence). privacy@ next to support@ is normal.

Precision comes first: a statement that is scoped ("for sale items", "EU customers", a sentence
listing several periods) or written as a range is never compared, because two such periods are
usually both right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from ..dates import EffectiveDate, effective_dates
from ..document import Block, Document, Section
from ..extract.channels import Channel, extract_emails
from ..extract.commitments import Commitment, CommitmentVocabulary, find_commitments
from ..extract.periods import Period, PeriodVocabulary
from ..extract.phrases import phrase_pattern, sentence_at, sentence_spans
from ..findings import Severity
from .base import CheckContext, Hit, RuleKind

__all__ = [  # noqa: RUF022 (grouped: this module's own names, then the deprecated aliases)
    "ConsistentContacts",
    "ConsistentDates",
    "ConsistentPeriods",
    "PeriodsParams",
    # Deprecated aliases, kept for one release: the commitment extractor moved to
    # policylint.extract.commitments. Import it from there instead.
    "Commitment",
    "find_commitments",
]

_SNIPPET = 80


def _snippet(text: str, start: int, end: int) -> str:
    """The sentence around ``[start, end)``, shortened to about :data:`_SNIPPET` characters."""
    s0, s1 = sentence_at(sentence_spans(text), start)
    sentence = " ".join(text[s0:s1].split())
    if len(sentence) <= _SNIPPET:
        return sentence
    focus = " ".join(text[start:end].split())
    at = sentence.find(focus)
    lo = max(0, min(at - _SNIPPET // 3, len(sentence) - _SNIPPET)) if at >= 0 else 0
    piece = sentence[lo : lo + _SNIPPET].strip()
    return ("…" if lo > 0 else "") + piece + ("…" if lo + _SNIPPET < len(sentence) else "")


def _line(document: Document, block: Block, start: int) -> int:
    return document.lines.position(block.source_range(start, start)[0])[0]


# ------------------------------------------------------------------------------------------
# consistent-periods
# ------------------------------------------------------------------------------------------


class PeriodsParams(CommitmentVocabulary):
    classes: dict[str, str] = Field(
        default_factory=dict,
        description="Commitment classes this rule compares -> how the message names them.",
    )


_PERIOD_KEYS = (
    *PeriodVocabulary.model_fields,
    "commitments",
    "scope_words",
    "not_after",
    "after_links",
    "anchor_words",
    "anchor_nouns_only",
    "after_gap_words",
)


class ConsistentPeriods(RuleKind):
    """Different periods stated for the same commitment (return window, refund timing)."""

    kind = "consistent-periods"
    uses_nlp = False
    Params = PeriodsParams
    language_keys = _PERIOD_KEYS
    vocabulary_keys = _PERIOD_KEYS

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, PeriodsParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        key = "consistency.commitments:" + params.model_dump_json(exclude={"classes"})
        found = ctx.memo(key, lambda: find_commitments(ctx.document, params))
        for cls, label in params.classes.items():
            first: Commitment | None = None
            reported: list[Period] = []
            for item in found:
                if item.cls != cls or item.qualified:
                    continue
                if first is None:
                    first = item
                    continue
                period = item.period
                if period.business != first.period.business or period.same_length(first.period):
                    continue
                if any(period.same_length(p) for p in reported):
                    continue
                reported.append(period)
                ref = first.period
                yield self.block_hit(
                    item.block,
                    period.start,
                    period.end,
                    item.section,
                    what=ctx.language.labels.periods.get(cls, label),
                    period=" ".join(period.text.split()),
                    other_period=" ".join(ref.text.split()),
                    other_line=_line(ctx.document, first.block, ref.start),
                    other_text=_snippet(first.block.text, ref.start, ref.end),
                )


# ------------------------------------------------------------------------------------------
# consistent-dates
# ------------------------------------------------------------------------------------------


class DatesParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    history_titles: list[str] = Field(
        default_factory=list, description="Section titles of a version history (dates there are ignored)."
    )
    history_phrases: list[str] = Field(
        default_factory=list, description="Words just before a date that make it an older version's."
    )
    effective_words: list[str] = Field(
        default_factory=list, description="Markers of the date a policy takes effect."
    )
    updated_words: list[str] = Field(
        default_factory=list, description="Markers of the date a policy was last changed."
    )
    instrument_words: list[str] = Field(
        default_factory=list,
        description="Names of documents bundled into a policy (addendum, annex, schedule): a date "
        "given for one ('This Data Transfer Addendum is effective from …') is that document's own.",
    )


@dataclass(frozen=True, slots=True)
class _Dated:
    item: EffectiveDate
    role: str  # "effective", "updated" or "" (either)
    line: int


class ConsistentDates(RuleKind):
    """Two different effective dates (or two different last-updated dates) in one policy.

    "Last updated 1 February; effective 1 March" is two different facts (notice before a change
    takes effect), so an effective date is only compared with effective dates and an update date
    with update dates; a bare date (front matter ``date:``) is compared with both. Dates in a
    version history (a section titled "History", "Previous versions", or a line that says
    "previous version") are the record of older versions, not a contradiction.
    """

    kind = "consistent-dates"
    uses_nlp = False
    Params = DatesParams
    language_keys = (
        "history_titles",
        "history_phrases",
        "effective_words",
        "updated_words",
        "instrument_words",
    )
    vocabulary_keys = language_keys

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, DatesParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        found = ctx.memo("effective_dates", lambda: effective_dates(ctx.document, ctx.language.dates))
        if len(found) < 2:
            return
        titles = phrase_pattern(params.history_titles, open_end=True) if params.history_titles else None
        history = phrase_pattern(params.history_phrases, open_end=True) if params.history_phrases else None
        effective = phrase_pattern(params.effective_words, open_end=True) if params.effective_words else None
        updated = phrase_pattern(params.updated_words, open_end=True) if params.updated_words else None
        instruments = (
            phrase_pattern(params.instrument_words, open_end=True) if params.instrument_words else None
        )
        source = ctx.document.source
        kept: list[_Dated] = []
        bundle = False
        for item in found:
            if titles is not None and item.section is not None and _in_history(item.section, titles):
                continue
            line, _ = ctx.document.lines.position(item.start)
            before = source[ctx.document.lines.line_start(line) : item.start]
            before = re.sub(r"[_\-]", " ", before)
            if history is not None and history.search(before):
                continue
            # "This Data Transfer Addendum is effective from …": the file bundles documents with
            # dates of their own, and which date governs what cannot be told from the text.
            bundle = bundle or (instruments is not None and instruments.search(before) is not None)
            role = _role(before, effective, updated)
            if not role and item.section is not None:
                role = _role(item.section.title, effective, updated)
            kept.append(_Dated(item, role, line))
        flagged: list[str] = []
        for i, later in enumerate(kept):
            earlier = [e for e in kept[:i] if not e.role or not later.role or e.role == later.role]
            if not earlier or any(e.item.date == later.item.date for e in earlier):
                continue
            if later.item.date.isoformat() in flagged:
                continue
            flagged.append(later.item.date.isoformat())
            first = earlier[0]
            yield Hit(
                at_most=Severity.INFO if bundle else None,
                fields={
                    "date": later.item.text,
                    "other": first.item.text,
                    "other_line": first.line,
                },
                start=later.item.start,
                end=later.item.end,
                section=later.item.section,
            )


def _in_history(section: Section, titles: re.Pattern[str]) -> bool:
    node: Section | None = section
    while node is not None and node.level > 0:
        if titles.search(node.title):
            return True
        node = node.parent
    return False


def _role(text: str, effective: re.Pattern[str] | None, updated: re.Pattern[str] | None) -> str:
    """Which marker stands nearest the end of ``text``: "effective", "updated" or ""."""
    best, role = -1, ""
    for name, pattern in (("effective", effective), ("updated", updated)):
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            if match.end() > best:
                best, role = match.end(), name
    return role


# ------------------------------------------------------------------------------------------
# consistent-contacts
# ------------------------------------------------------------------------------------------


class ContactsParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role_groups: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Purpose -> words in an address's local part (support: support, help, service).",
    )
    topic_words: list[str] = Field(
        default_factory=list,
        description="Specific purposes (privacy, press, legal): an address or sentence naming one is not compared.",
    )
    contact_phrases: list[str] = Field(
        default_factory=list, description="Phrases that give the general contact address (contact us at)."
    )


@dataclass(frozen=True, slots=True)
class _Address:
    channel: Channel
    purpose: str


class ConsistentContacts(RuleKind):
    """More than one email address given as *the* address for the same purpose.

    An address's purpose comes from its local part (support@, help@ and customerservice@ are all
    support) or, for other addresses, from a "contact us at …" sentence. An address or sentence
    that names a specific purpose (privacy@, "for press enquiries") is never compared: privacy@
    beside support@ is normal.
    """

    kind = "consistent-contacts"
    uses_nlp = False
    Params = ContactsParams
    language_keys = ("role_groups", "topic_words", "contact_phrases")
    vocabulary_keys = language_keys

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ContactsParams)
        if self.lacks_vocabulary():
            return  # no vocabulary for this language: stay silent (reported as language.partial)
        emails = ctx.memo(
            "consistency.emails",
            lambda: extract_emails(ctx.document),
        )
        if len(emails) < 2:
            return
        addresses = [a for a in (_purpose(c, params) for c in emails) if a is not None]
        first_by_purpose: dict[str, Channel] = {}
        reported: set[str] = set()
        for address in addresses:
            channel = address.channel
            first = first_by_purpose.setdefault(address.purpose, channel)
            if first.value == channel.value or channel.value in reported:
                continue
            reported.add(channel.value)
            yield self.block_hit(
                channel.block,
                channel.start,
                channel.end,
                channel.section,
                email=channel.value,
                other=first.value,
                other_line=_line(ctx.document, first.block, first.start),
            )


def _squash(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _purpose(channel: Channel, params: ContactsParams) -> _Address | None:
    local = _squash(channel.value.split("@", 1)[0])
    if any(_squash(word) in local for word in params.topic_words if _squash(word)):
        return None
    text = channel.block.text
    s0, s1 = sentence_at(sentence_spans(text), channel.start)
    sentence = text[s0:s1]
    if params.topic_words and phrase_pattern(params.topic_words, open_end=True).search(sentence):
        return None
    for group, words in params.role_groups.items():
        if any(_squash(word) and _squash(word) in local for word in words):
            return _Address(channel, group)
    if params.contact_phrases:
        before = text[max(s0, channel.start - 40) : channel.start]
        if phrase_pattern(params.contact_phrases).search(before):
            return _Address(channel, "contact-us")
    return None
