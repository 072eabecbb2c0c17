"""Rule kinds that look for words and phrases: substitution, phrase, conditional.

* ``substitution``: a term with a plainer replacement (jargon.*). Each finding carries the
  replacement as its suggestion; policylint never rewrites a policy itself.
* ``phrase``: a phrase that is a problem wherever it stands (dates.vague-time).
* ``conditional``: when a trigger is discussed (health data, newsletters), required elements
  must be addressed somewhere in the document (regulation.*). One finding per rule and document
  lists every missing element: a reader fixes one gap in one place, not four findings at one spot.

Quoted text (block quotes: usually the law being cited) and protected ranges (code, URLs, email
addresses) are not judged by substitution and phrase rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..document import Block, BlockRole
from .base import CheckContext, Hit, RuleKind
from .matching import PhraseMatch, find_phrases

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
    #: When set, a trigger also needs one of these words (matched on the word or its lemma) in its
    #: sentence: "we keep your medical records" describes our processing, "do not post someone's
    #: medical records" (community guidelines) does not.
    action_words: list[str] = Field(default_factory=list)
    #: A trigger does not count in a sentence with one of these words: a prohibition ("don't give
    #: us health information", "ads must not target minors") describes no practice of ours.
    exclude_words: list[str] = Field(default_factory=list)
    #: Phrases that show the duty does not fall on this document's business at all ("for business
    #: customers only" for COPPA): when one is found anywhere, the rule says nothing.
    exemptions: list[str] = Field(default_factory=list)
    #: Regions whose configuration makes another rule cover this one (``eu.subscription-withdrawal``
    #: defers to ``eu.withdrawal-right`` when ``regions`` has ``eu``): the rule then says nothing.
    unless_regions: list[str] = Field(default_factory=list)
    #: When set, the rule runs only on a document that matches one of these patterns (EU country
    #: names, prices in euro): evidence that the law's region is the document's market.
    region_evidence: list[str] = Field(default_factory=list)

    @field_validator("region_evidence")
    @classmethod
    def _evidence_compiles(cls, value: list[str]) -> list[str]:
        """Region evidence is searched like element patterns: refused at load time if unsafe."""
        from ..safe_regex import check_pattern

        for pattern in value:
            check_pattern(pattern, re.IGNORECASE | re.MULTILINE)
        return value

    #: Triggers inside quotations and defined-term definitions ("“Charges” means the cost ...,
    #: membership fee") do not count: a definition sells nothing.
    skip_quoted: bool = False
    #: Joins the names of several missing elements in one finding (language data: "; " reads in
    #: every language we ship).
    separator: str = "; "


def _sentence_words(ctx: CheckContext, block: Block, offset: int) -> tuple[set[str], str] | None:
    """Lower-case words and lemmas of the sentence around ``offset``, and its text (words joined
    by single spaces, for multi-word entries); None when the offset is in no sentence."""
    doc = ctx.spacy_doc(block)
    for sent in doc.sents:
        if sent.start_char <= offset < sent.end_char:
            words = {t.lower_ for t in sent} | {t.lemma_.lower() for t in sent}
            return words, " ".join(t.lower_ for t in sent)
    return None


def _has_any(found: tuple[set[str], str], wanted: set[str]) -> bool:
    words, text = found
    return any(w in words or (" " in w and w in text) for w in wanted)


class Conditional(RuleKind):
    kind = "conditional"
    Params = ConditionalParams
    language_keys = (
        "triggers",
        "elements",
        "subject_words",
        "action_words",
        "exclude_words",
        "exemptions",
        "region_evidence",
        "separator",
    )

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ConditionalParams)
        if set(params.unless_regions) & set(ctx.config.regions):
            return
        if params.region_evidence and not any(
            re.search(p, ctx.document.text(), re.IGNORECASE | re.MULTILINE) for p in params.region_evidence
        ):
            return
        triggers = [
            t
            for t in find_phrases(ctx, params.triggers, include_headings=True, skip_quoted=params.skip_quoted)
            if self._counts(ctx, t)
        ]
        if len(triggers) < params.min_triggers:
            return
        if params.exemptions and any(
            True for _ in find_phrases(ctx, params.exemptions, include_headings=True, skip_protected=False)
        ):
            return
        missing = list(self._missing(ctx, params.elements))
        if not missing:
            return
        first = triggers[0]
        if len(missing) == 1:
            element, cite = missing[0].name, f" ({missing[0].source})" if missing[0].source else ""
        else:  # each element keeps its own source; the message's {cite} is then empty
            element = params.separator.join(f"{e.name} ({e.source})" if e.source else e.name for e in missing)
            cite = ""
        yield self.block_hit(
            first.block,
            first.start,
            first.end,
            first.section,
            element=element,
            trigger=first.text,
            cite=cite,
            missing=len(missing),
        )

    def _counts(self, ctx: CheckContext, trigger: PhraseMatch) -> bool:
        """Whether a trigger mention is about *our* practice (see ``subject_words``/``action_words``)."""
        params = self.params
        assert isinstance(params, ConditionalParams)
        if not params.subject_words and not params.action_words and not params.exclude_words:
            return True
        sentence = _sentence_words(ctx, trigger.block, trigger.start)
        if sentence is None:
            return False
        if params.exclude_words and _has_any(sentence, {w.lower() for w in params.exclude_words}):
            return False
        if params.subject_words and not _has_any(sentence, {w.lower() for w in params.subject_words}):
            return False
        return not params.action_words or _has_any(sentence, {w.lower() for w in params.action_words})

    @staticmethod
    def _missing(ctx: CheckContext, elements: list[Element]) -> Iterator[Element]:
        text: str | None = None
        for element in elements:
            if element.phrases and any(
                True for _ in find_phrases(ctx, element.phrases, include_headings=True, skip_protected=False)
            ):
                continue
            if element.patterns:
                if text is None:
                    text = ctx.document.text()
                if any(re.search(p, text, re.IGNORECASE | re.MULTILINE) for p in element.patterns):
                    continue
            yield element
