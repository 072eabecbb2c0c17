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

from ..document import BlockRole
from .base import CheckContext, Hit, RuleKind
from .matching import find_phrases

_QUOTES = frozenset({BlockRole.QUOTE})


class SubstitutionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: dict[str, str] = Field(default_factory=dict, description="Term (base form) -> plain replacement.")


class Substitution(RuleKind):
    kind = "substitution"
    Params = SubstitutionParams
    language_keys = ("terms",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, SubstitutionParams)
        lowered = {k.lower(): v for k, v in params.terms.items()}
        for m in find_phrases(ctx, lowered, skip_roles=_QUOTES, skip_quoted=True):
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


class Phrase(RuleKind):
    kind = "phrase"
    Params = PhraseParams
    language_keys = ("phrases",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, PhraseParams)
        for m in find_phrases(ctx, params.phrases, skip_roles=_QUOTES, skip_quoted=True):
            yield self.block_hit(m.block, m.start, m.end, m.section, match=m.text)


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
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from None
        return value


class ConditionalParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    triggers: list[str] = Field(default_factory=list)
    elements: list[Element] = Field(default_factory=list)
    min_triggers: int = Field(
        default=1, ge=1, description="Trigger mentions needed before elements are required."
    )


class Conditional(RuleKind):
    kind = "conditional"
    Params = ConditionalParams
    language_keys = ("triggers", "elements")

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ConditionalParams)
        triggers = list(find_phrases(ctx, params.triggers, include_headings=True))
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
