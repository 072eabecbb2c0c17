"""Contact rule kinds: can a customer reach a person, and is an answer time promised?

A customer-service policy is only useful if it says *how* to get help: customer-service guidance
asks for several channels (phone, email, post, web form, chat), opening hours and concrete
response times. Three rule kinds judge that here:

* ``contact-channels``: too few ways to reach a person;
* ``contact-section-channel``: a contact section without a single concrete channel;
* ``response-time``: complaints or support discussed, no concrete answer time anywhere.

What the text *states* (channels, periods, time limits) is found by the extractors in
:mod:`policylint.extract`; this module only decides what is missing.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, Field

from ..classify import is_document_title, kinds_present
from ..document import Block, BlockRole, Document, Section
from ..extract.channel_text import (
    CONCRETE_KINDS,
    REACH_KINDS,
    ChannelKind,
    ChannelVocabulary,
    TextChannel,
    find_channels,
    invitation,
)
from ..extract.channels import Channel, channels_in, extract_channels, extract_emails
from ..extract.commitments import time_limits
from ..extract.periods import Period, PeriodVocabulary, find_periods
from ..extract.phrases import maybe_pattern, phrase_pattern, sentence_at, sentence_spans, vocab_key
from .base import CheckContext, Hit, RuleKind, render_message

__all__ = [  # noqa: RUF022 (grouped: this module's own names, then the deprecated aliases)
    "ContactChannels",
    "ContactSectionChannel",
    "ResponseTime",
    "commitments",
    "document_channels",
    "sections_of",
    # Deprecated aliases, kept for one release: plugins imported the extractors from here before
    # they moved to policylint.extract (channel_text, channels, periods, phrases). Import them
    # from there instead.
    "CONCRETE_KINDS",
    "REACH_KINDS",
    "Channel",
    "ChannelKind",
    "ChannelVocabulary",
    "Period",
    "PeriodVocabulary",
    "TextChannel",
    "channels_in",
    "extract_channels",
    "extract_emails",
    "find_channels",
    "find_periods",
    "is_document_title",
    "phrase_pattern",
    "sentence_at",
    "sentence_spans",
]


def document_channels(ctx: CheckContext, vocab: ChannelVocabulary) -> list[Channel]:
    """Channels of the checked document, extracted once per vocabulary and shared between rules."""
    return ctx.memo(
        "contact.channels:" + repr(vocab_key(vocab)), lambda: extract_channels(ctx.document, vocab)
    )


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
    for section, block in document.headings_and_blocks():
        match = invitation(block.text, vocab)
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
            pattern = maybe_pattern(params.triggers, open_end=True)
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
    return _time_limits(text, _periods(params), params)


def _periods(params: ResponseTimeParams) -> PeriodVocabulary:
    return PeriodVocabulary(**{k: getattr(params, k) for k in PeriodVocabulary.model_fields})


def _time_limits(text: str, periods: PeriodVocabulary, params: ResponseTimeParams) -> list[tuple[int, int]]:
    return time_limits(
        text, periods, params.commitment_words, params.commitment_words_after, params.fixed_commitments
    )


def _has_commitment(
    document: Document, params: ResponseTimeParams, present: dict[str, list[Section]]
) -> bool:
    in_kind = {id(s) for k in params.section_kinds for s in present.get(k, [])}
    for section in document.sections():
        if section.kind in params.section_kinds:
            in_kind.add(id(section))
    response = maybe_pattern(params.response_words, open_end=True)
    periods = _periods(params)
    for section, block in document.headings_and_blocks():
        found = _time_limits(block.text, periods, params)
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
