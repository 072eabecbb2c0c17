"""What one version of a policy promises, read with the extractors the rules already use.

A change review compares *facts*, not lines: the periods the policy commits to (the commitment
extractor, ``extract.commitments``), its contact channels (``extract.channels``), its effective
date (``dates``), the required parts of its profile (``profiles.find_parts``), and items whose
appearance matters (rights, recipients, data, dispute clauses), found with the language pack's
phrases under ``[rules."change.less-favourable"]``. Nothing here knows a language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..config import Config
from ..dates import EffectiveDate, effective_dates
from ..document import Block, BlockRole, Document, Section
from ..engine import analyse
from ..extract.channel_text import REACH_KINDS, ChannelVocabulary
from ..extract.channels import Channel, extract_channels
from ..extract.commitments import Commitment, CommitmentVocabulary, find_commitments
from ..extract.phrases import phrase_pattern, sentence_at, sentence_spans
from ..packs import LanguagePack
from ..profiles import PartEvidence, find_parts, required_kinds, required_parts
from .model import Direction

VOCABULARY_RULE = "change.less-favourable"
#: Item groups and the direction of an item's (appearance, disappearance) for the customer.
GROUPS: dict[str, tuple[Direction, Direction]] = {
    "rights": ("more-favourable", "less-favourable"),
    "recipients": ("less-favourable", "more-favourable"),
    "data": ("less-favourable", "more-favourable"),
    "dispute": ("less-favourable", "more-favourable"),
}
_QUOTE_MAX = 240
_CHANNEL_RULE = "contact.too-few-channels"
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*\d|\d[\d,.]*\s?(?:[$€£]|kr\.?|DKK|EUR|USD|GBP|NOK|SEK)(?!\w))", re.IGNORECASE
)


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrases: list[str]
    with_: list[str] = Field(default_factory=list, alias="with")
    without: list[str] = Field(default_factory=list)


class ChangeVocabulary(CommitmentVocabulary):
    """A language's words for change review (``[rules."change.less-favourable"]`` in a pack)."""

    negation_words: list[str] = Field(default_factory=list)
    change_words: list[str] = Field(default_factory=list)
    law_phrases: list[str] = Field(default_factory=list)
    venue_phrases: list[str] = Field(default_factory=list)
    fee_words: list[str] = Field(default_factory=list)
    rights: dict[str, ItemSpec] = Field(default_factory=dict)
    recipients: dict[str, ItemSpec] = Field(default_factory=dict)
    data: dict[str, ItemSpec] = Field(default_factory=dict)
    dispute: dict[str, ItemSpec] = Field(default_factory=dict)


def _as_items(table: Any) -> dict[str, Any]:
    if not isinstance(table, dict):
        return {}
    return {k: {"phrases": v} if isinstance(v, list) else v for k, v in table.items()}


def vocabulary(pack: LanguagePack) -> ChangeVocabulary:
    """The pack's change vocabulary (empty for a language without one: nothing is claimed)."""
    data = {k: v for k, v in pack.rules.get(VOCABULARY_RULE, {}).items() if k != "message"}
    for group in GROUPS:
        data[group] = _as_items(data.get(group))
    return ChangeVocabulary.model_validate(data)


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a fact stands: its block, section and text offsets, and the sentence around it."""

    section: Section
    block: Block
    start: int
    end: int
    sentence: str


@dataclass(slots=True)
class Facts:
    """Everything one version states that a change review compares."""

    document: Document
    pack: LanguagePack
    profile: str
    commitments: list[Commitment]
    channels: list[Channel]
    items: dict[tuple[str, str], Spot]
    jurisdictions: dict[tuple[str, str], Spot]
    fees: list[tuple[str, float, Spot]]
    effective: list[EffectiveDate]
    parts: dict[str, PartEvidence]
    required: list[str]
    vocab: ChangeVocabulary
    notice_promise: tuple[float, Spot] | None = None
    sentences: list[tuple[str, Spot]] = field(default_factory=list)


def spot(block: Block, section: Section, start: int, end: int) -> Spot:
    """A :class:`Spot` with the sentence around ``[start, end)``, whitespace collapsed and shortened."""
    s0, s1 = sentence_at(sentence_spans(block.text), start)
    return Spot(section, block, start, end, quote(block.text[s0:s1]))


def quote(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _QUOTE_MAX else flat[: _QUOTE_MAX - 1].rstrip() + "…"


def blocks(document: Document) -> Iterator[tuple[Section, Block]]:
    """Prose blocks and headings in document order (quotes skipped: they cite others)."""
    for section, block in document.headings_and_blocks():
        if block.role != BlockRole.QUOTE:
            yield section, block


def read_facts(document: Document, config: Config) -> Facts:
    """Classify ``document`` (language, section kinds, profile) and extract what it states."""
    pack, ctx = analyse(document, config)
    vocab = vocabulary(pack)
    channel_data = {
        k: v for k, v in pack.rules.get(_CHANNEL_RULE, {}).items() if k in ChannelVocabulary.model_fields
    }
    channels = [
        c for c in extract_channels(document, ChannelVocabulary(**channel_data)) if c.kind in REACH_KINDS
    ]
    wanted = [*required_kinds(ctx.profile, config), *required_parts(ctx.profile)]
    facts = Facts(
        document=document,
        pack=pack,
        profile=ctx.profile_name,
        commitments=find_commitments(document, vocab) if vocab.commitments else [],
        channels=channels,
        items=_items(document, vocab),
        jurisdictions=_jurisdictions(document, vocab),
        fees=_fees(document, vocab),
        effective=effective_dates(document, pack.dates),
        parts=find_parts(document, pack, wanted, ctx.section_packs),
        required=wanted,
        vocab=vocab,
    )
    facts.notice_promise = _notice_promise(facts)
    return facts


def _negated(text: str, start: int, negation: re.Pattern[str] | None) -> bool:
    """A negation word before ``start`` in its sentence, at most 80 characters back ("we do not
    sell to data brokers", "LinkedIn does not encourage you to provide … biometric data")."""
    if negation is None:
        return False
    s0, _ = sentence_at(sentence_spans(text), start)
    window = text[max(s0, start - 80) : start].replace("’", "'")
    return negation.search(window) is not None


def _items(document: Document, vocab: ChangeVocabulary) -> dict[tuple[str, str], Spot]:
    """The first place each (group, item) is stated: one scan of the document per group."""
    negation = phrase_pattern(vocab.negation_words) if vocab.negation_words else None
    found: dict[tuple[str, str], Spot] = {}
    for group in GROUPS:
        specs: dict[str, ItemSpec] = getattr(vocab, group)
        owner = {" ".join(p.lower().split()): item for item, spec in specs.items() for p in spec.phrases}
        if not owner:
            continue
        pattern = phrase_pattern(owner, open_end=True)
        companions = {
            item: phrase_pattern(spec.with_, open_end=True) for item, spec in specs.items() if spec.with_
        }
        excluded = {
            item: phrase_pattern(spec.without, open_end=True) for item, spec in specs.items() if spec.without
        }
        for section, block in blocks(document):
            for match in pattern.finditer(block.text):
                item = owner.get(" ".join(match.group(0).lower().split()))
                if item is None or (group, item) in found:
                    continue
                if group != "dispute" and _negated(block.text, match.start(), negation):
                    continue  # "in no event will our liability exceed" is still a liability cap
                place = spot(block, section, match.start(), match.end())
                companion, exclusion = companions.get(item), excluded.get(item)
                if companion is not None and companion.search(place.sentence) is None:
                    continue
                if exclusion is not None and exclusion.search(place.sentence.replace("’", "'")):
                    continue
                found[group, item] = place
    return found


def _jurisdictions(document: Document, vocab: ChangeVocabulary) -> dict[tuple[str, str], Spot]:
    """Governing law and venue: what follows the phrase up to the end of its clause."""
    found: dict[tuple[str, str], Spot] = {}
    for topic, phrases in (("governing-law", vocab.law_phrases), ("venue", vocab.venue_phrases)):
        if not phrases:
            continue
        pattern = phrase_pattern(phrases)
        for section, block in blocks(document):
            for match in pattern.finditer(block.text):
                tail = re.split(r"[.;:,()\n]| and | or ", block.text[match.end() : match.end() + 80])[0]
                named = " ".join(tail.split()).strip(" \"'“”").lower()
                if named and (topic, named) not in found:
                    found[topic, named] = spot(block, section, match.start(), match.end() + len(tail))
    return found


def _fees(document: Document, vocab: ChangeVocabulary) -> list[tuple[str, float, Spot]]:
    """Money amounts in sentences that speak of a fee or charge: (amount as written, value, where)."""
    if not vocab.fee_words:
        return []
    words = phrase_pattern(vocab.fee_words, open_end=True)
    found: list[tuple[str, float, Spot]] = []
    for section, block in blocks(document):
        if _DIGIT.search(block.text) is None:
            continue
        for match in _AMOUNT.finditer(block.text):
            near = block.text[max(0, match.start() - 60) : match.end() + 60]
            if words.search(near) is None:
                continue
            place = spot(block, section, match.start(), match.end())
            if words.search(place.sentence):
                found.append((" ".join(match.group(0).split()), _amount_value(match.group(0)), place))
    return found


def _amount_value(text: str) -> float:
    digits = re.sub(r"[^\d.,]", "", text)
    if re.search(r",\d{2}$", digits):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", "")
    try:
        return float(digits)
    except ValueError:
        return 0.0


def _notice_promise(facts: Facts) -> tuple[float, Spot] | None:
    """The longest notice of changes the policy promises ("we will notify you 30 days before
    changes take effect"): a notice period in a sentence about changes."""
    if not facts.vocab.change_words:
        return None
    changes = phrase_pattern(facts.vocab.change_words, open_end=True)
    best: tuple[float, Spot] | None = None
    for item in facts.commitments:
        if item.cls != "notice" or item.period.is_range:
            continue
        place = spot(item.block, item.section, item.period.start, item.period.end)
        if changes.search(place.sentence) and (best is None or item.period.hours > best[0]):
            best = (item.period.hours, place)
    return best
