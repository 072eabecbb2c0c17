"""Rule kinds that measure text: ``readability`` (a formula per section or document) and
``sentence-length`` (words per sentence).

Only running prose is measured: headings, table cells and short list items are not sentences,
and scoring them makes formulas cry wolf on perfectly clear pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..document import Block, BlockRole, Section
from ..findings import Severity
from ..readability import METRIC_LABELS, Counts, raw_count, score_counts, total
from .base import CheckContext, Hit, RuleKind

_PROSE_ROLES = frozenset({BlockRole.PARAGRAPH, BlockRole.LIST_ITEM, BlockRole.QUOTE})
_MIN_BLOCK_WORDS = 8


def _measurable(blocks: list[Block]) -> list[str]:
    texts: list[str] = []
    for block in blocks:
        if block.role not in _PROSE_ROLES:
            continue
        text = block.text.strip()
        if len(text.split()) < _MIN_BLOCK_WORDS:
            continue
        if text[-1] not in ".!?:;":
            text += "."
        texts.append(text)
    return texts


class ReadabilityParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: Literal["document", "section"] = "document"
    max_grade: float = Field(
        default=9.0, ge=0, le=40, description="Limit on the language's readability metric."
    )
    min_words: int = Field(default=100, ge=0, description="Texts shorter than this are not scored.")
    limits: dict[str, float] = Field(
        default_factory=dict, description="Limit per metric name (e.g. {lix = 50}), overriding max_grade."
    )
    warn_factor: float = Field(
        default=1.0,
        ge=1.0,
        le=3.0,
        description="A score above the limit but below limit x warn_factor is at most info: a reader "
        "does not notice grade 10.2 against a limit of 10, and the formulas are not that precise.",
    )


class Readability(RuleKind):
    kind = "readability"
    uses_nlp = False
    Params = ReadabilityParams
    language_keys = ("limits",)

    def scope(self) -> str:
        # A section is scored with its own language's formula; the document's score is that of
        # the text in the document's language (LIX over German prose says nothing).
        params = self.params
        assert isinstance(params, ReadabilityParams)
        return "section" if params.scope == "section" else "main"

    def _limit(self, ctx: CheckContext, metric: str) -> float:
        params = self.params
        assert isinstance(params, ReadabilityParams)
        overrides = ctx.config.readability
        override = overrides.document_max_grade if params.scope == "document" else overrides.section_max_grade
        if override is not None and metric in ("flesch-kincaid-grade", "gunning-fog"):
            return override
        return params.limits.get(metric, params.max_grade)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ReadabilityParams)
        settings = ctx.language.readability
        metric = settings.metric
        limit = self._limit(ctx, metric)
        min_words = (
            ctx.config.readability.min_words
            if ctx.config.readability.min_words is not None
            else params.min_words
        )
        targets: list[tuple[Section, list[Block]]]
        if params.scope == "document":
            targets = [(ctx.document.root, [b for _, b in ctx.document.blocks()])]
        else:
            targets = [(sec, sec.blocks) for sec in ctx.document.all_sections()]
        for section, blocks in targets:
            texts = _measurable(blocks)
            if sum(len(t.split()) for t in texts) < min_words:
                continue
            # Paragraph counts add up, and the section and document rules share them.
            counted: dict[tuple[str, str, str | None], Counts] = ctx.memo("readability.counts", dict)
            code = ctx.language.code
            for text in texts:
                if (text, code, settings.hyphenation) not in counted:
                    counted[text, code, settings.hyphenation] = raw_count(text, code, settings.hyphenation)
            result = score_counts(total(counted[t, code, settings.hyphenation] for t in texts), metric)
            if result.exceeds(limit):
                fields = {
                    "metric": settings.name or METRIC_LABELS.get(metric, metric),
                    "value": result.value,
                    "limit": limit,
                }
                at_most = Severity.INFO if result.value < limit * params.warn_factor else None
                if params.scope == "document" or section.level == 0:
                    yield Hit(fields=fields, section=None if section.level == 0 else section, at_most=at_most)
                else:
                    hit = self.section_hit(section, **fields)
                    hit.at_most = at_most
                    yield hit


def _word_prefix_sums(doc: Any) -> Any:
    """Running count of the tokens that are words (not punctuation, space, URL or email), so a
    sentence's word count is one subtraction instead of a walk over Token objects."""
    import numpy
    from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_EMAIL, LIKE_URL

    flags = doc.to_array([IS_PUNCT, IS_SPACE, LIKE_URL, LIKE_EMAIL])
    words = ~flags.astype(bool).any(axis=1) if len(doc) else numpy.zeros(0, dtype=bool)
    return numpy.concatenate(([0], numpy.cumsum(words)))


class SentenceLengthParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_words: int = Field(default=35, ge=5, le=500)
    #: Sentences of at least this many times the limit are reported at the rule's severity; those
    #: between the limit and this are advice (info). 1.0 reports every long sentence alike.
    warn_factor: float = Field(default=1.0, ge=1.0, le=10.0)


class SentenceLength(RuleKind):
    kind = "sentence-length"
    language_scope = "section"
    Params = SentenceLengthParams

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, SentenceLengthParams)
        limit = ctx.config.readability.sentence_max_words or params.max_words
        for section, block in ctx.document.blocks():
            if block.role not in _PROSE_ROLES or len(block.text.split()) <= limit:
                continue
            doc = ctx.spacy_doc(block)
            counted = _word_prefix_sums(doc)
            for sent in doc.sents:
                words = int(counted[sent.end] - counted[sent.start])
                if words > limit:
                    yield self.block_hit(
                        block,
                        sent.start_char,
                        sent.end_char,
                        section,
                        words=words,
                        limit=limit,
                        advisory=words < limit * params.warn_factor,
                    )
