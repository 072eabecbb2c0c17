"""Rule kinds that look for words and phrases: substitution, phrase, conditional.

* ``substitution``: a term with a plainer replacement (jargon.*). Each finding carries the
  replacement as its suggestion; policylint never rewrites a policy itself.
* ``phrase``: a phrase that is a problem wherever it stands (dates.vague-time).
* ``conditional``: when a trigger is discussed (health data, newsletters), required elements
  must be addressed somewhere in the document (regulation.*); one finding per missing element.

Quoted text (block quotes: usually the law being cited) and protected ranges (code, URLs, email
addresses) are not judged by substitution and phrase rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..document import Block, BlockRole
from .base import CheckContext, Hit, RuleKind
from .matching import find_phrases

_QUOTES = frozenset({BlockRole.QUOTE})


def _is_proper_name(text: str, start: int, match: str) -> bool:
    """A capitalised word mid-sentence is part of a name or defined term ("the GitHub Additional
    Product Terms", "Applicable Law"): not everyday prose to rewrite."""
    if not match[:1].isupper() or match.isupper():
        return False
    before = text[:start].rstrip()
    return bool(before) and before[-1] not in ".!?:;•–—-(\"“'‘*"


class SubstitutionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: dict[str, str] = Field(default_factory=dict, description="Term (base form) -> plain replacement.")


class Substitution(RuleKind):
    kind = "substitution"
    language_scope = "section"
    Params = SubstitutionParams
    language_keys = ("terms",)
    vocabulary_keys = ("terms",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, SubstitutionParams)
        lowered = {k.lower(): v for k, v in params.terms.items()}
        for m in find_phrases(ctx, lowered, skip_roles=_QUOTES, skip_quoted=True):
            if _is_proper_name(m.block.text, m.start, m.text):
                continue
            replacement = lowered.get(m.phrase.lower(), "")
            yield self.block_hit(
                m.block,
                m.start,
                m.end,
                m.section,
                match=m.text,
                replacement=replacement,
                suggestion=replacement,
            )


class PhraseParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrases: list[str] = Field(default_factory=list)
    #: Phrases reported only in a sentence that also has one of ``subject_words``.
    needs_subject: list[str] = Field(default_factory=list)
    subject_words: list[str] = Field(default_factory=list)


class Phrase(RuleKind):
    kind = "phrase"
    language_scope = "section"
    Params = PhraseParams
    language_keys = ("phrases", "needs_subject", "subject_words")
    vocabulary_keys = ("phrases",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, PhraseParams)
        conditional = {p.lower() for p in params.needs_subject}
        subjects = {w.lower() for w in params.subject_words}
        for m in find_phrases(
            ctx, [*params.phrases, *params.needs_subject], skip_roles=_QUOTES, skip_quoted=True
        ):
            if m.phrase.lower() in conditional and not self._has_subject(ctx, m.block, m.start, subjects):
                continue
            yield self.block_hit(m.block, m.start, m.end, m.section, match=m.text)

    @staticmethod
    def _has_subject(ctx: CheckContext, block: Block, offset: int, subjects: set[str]) -> bool:
        doc = ctx.spacy_doc(block)
        for sent in doc.sents:
            if sent.start_char <= offset < sent.end_char:
                words = [t.lower_ for t in sent]
                text = " ".join(words)
                return any(w in words or (" " in w and w in text) for w in subjects)
        return False


class Element(BaseModel):
    """Something a policy must address once a trigger comes up, in any of several wordings."""

    model_config = ConfigDict(extra="forbid")

    name: str
    phrases: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)
    #: The law or guidance that asks for this element, cited in the finding.
    source: str = ""

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        """Refuse patterns that do not compile or could backtrack for hours on a long policy.

        Checked when the pack loads, with the flags ``check`` searches with, so a bad pattern
        fails the run with the pack's path and key (exit 2) instead of hanging it later.
        """
        from ..safe_regex import check_pattern

        for pattern in value:
            check_pattern(pattern, re.IGNORECASE | re.MULTILINE)  # UnsafePatternError is a ValueError
        return value


class ConditionalParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    triggers: list[str] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    min_triggers: int = Field(
        default=1, ge=1, description="Trigger mentions needed before elements are required."
    )
    #: When set, a trigger counts only in a sentence with one of these words: "we send a newsletter"
    #: is our marketing, "a feature that blocks promotional emails" is not.
    subject_words: list[str] = Field(default_factory=list)


class Conditional(RuleKind):
    kind = "conditional"
    Params = ConditionalParams
    language_keys = ("triggers", "elements", "subject_words")
    vocabulary_keys = ("triggers",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ConditionalParams)
        triggers = list(find_phrases(ctx, params.triggers, include_headings=True))
        if params.subject_words:
            subjects = {w.lower() for w in params.subject_words}
            triggers = [t for t in triggers if Phrase._has_subject(ctx, t.block, t.start, subjects)]
        if len(triggers) < params.min_triggers:
            return
        first = triggers[0]
        text: str | None = None
        for element in params.elements:
            if element.phrases and any(
                True for _ in find_phrases(ctx, element.phrases, include_headings=True, skip_protected=False)
            ):
                continue
            if element.patterns:
                if text is None:
                    text = ctx.document.text()
                if any(re.search(p, text, re.IGNORECASE | re.MULTILINE) for p in element.patterns):
                    continue
            yield self.block_hit(
                first.block,
                first.start,
                first.end,
                first.section,
                element=element.name,
                trigger=first.text,
                cite=f" ({element.source})" if element.source else "",
            )
