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
from enum import Enum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..document import Block, BlockRole
from ..pack_regex import SEARCH_FLAGS, compile_pattern, searches

if TYPE_CHECKING:
    from spacy.tokens import Span
from ..extract.periods import PeriodVocabulary, find_periods
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


class TermExceptions(BaseModel):
    """Neighbouring words that make a term a term of art, where its plain replacement would
    change the meaning: "terminate" an agreement, "applicable law", "mutual legal assistance".

    Each entry is a word or phrase matched on lemmas ("account" also finds "accounts"), within
    ``window`` words after the term (``unless_followed_by``) or before it (``unless_preceded_by``).
    """

    model_config = ConfigDict(extra="forbid")

    unless_followed_by: list[str] = Field(default_factory=list)
    unless_preceded_by: list[str] = Field(default_factory=list)
    window: int = Field(default=3, ge=0, le=10, description="Words that may stand between.")


class ChoiceBySubject(BaseModel):
    """Which of a term's replacements fits depends on who the clause is about: "you shall pay"
    is a duty ("must"), "this agreement shall end" a statement of what happens ("will"); offering
    "must" for the second changes its meaning."""

    model_config = ConfigDict(extra="forbid")

    #: Words (lemmas) that, before the term in its clause, make ``choice`` the replacement.
    subjects: list[str] = Field(default_factory=list)
    choice: str
    #: The replacement when none of ``subjects`` stands before the term.
    otherwise: str


class SubstitutionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: dict[str, str] = Field(default_factory=dict, description="Term (base form) -> plain replacement.")
    #: Term -> the neighbours that keep it (see :class:`TermExceptions`).
    exceptions: dict[str, TermExceptions] = Field(default_factory=dict)
    #: Term -> the replacement to offer by the clause's subject (see :class:`ChoiceBySubject`).
    by_subject: dict[str, ChoiceBySubject] = Field(default_factory=dict)


#: Ends of a clause: an exception's neighbour is looked for only up to one of these.
_CLAUSE_END = frozenset(".;:!?()")
#: Separates alternatives in a replacement ("despite, even if"; "must / will").
_ALTERNATIVES = re.compile(r"\s*(?:,|\s/)\s*(?![^(]*\))")


#: (pipeline, exception phrase) -> its lemmas.
_EXCEPTION_LEMMAS: dict[tuple[int, str], list[str]] = {}


def split_alternatives(replacement: str) -> list[str]:
    """The separate choices a replacement offers; a parenthesised note stays whole."""
    return [part for part in _ALTERNATIVES.split(replacement.strip()) if part]


def _quotes_around(template: str, field: str) -> tuple[str, str]:
    """The quotation marks a message template puts around ``{field}`` ("“", "”"), so that
    alternatives can each be quoted in the pack's own style; ("", "") when there are none."""
    at = template.find("{" + field + "}")
    if at <= 0:
        return "", ""
    before = template[at - 1]
    after_at = at + len(field) + 2
    after = template[after_at] if after_at < len(template) else ""
    if before.isalnum() or before.isspace() or not after or after.isalnum() or after.isspace():
        return "", ""
    return before, after


def join_choices(choices: list[str], template: str, or_word: str) -> str:
    """Choices for ``{replacement}``: “despite” or “even if”, the outer marks being the template's."""
    if len(choices) <= 1:
        return "".join(choices)
    opening, closing = _quotes_around(template, "replacement")
    between = f"{closing}, {opening}"
    return between.join(choices[:-1]) + f"{closing} {or_word} {opening}" + choices[-1]


class Substitution(RuleKind):
    kind = "substitution"
    language_scope = "section"
    Params = SubstitutionParams
    language_keys = ("terms", "exceptions", "by_subject")
    vocabulary_keys = ("terms",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, SubstitutionParams)
        lowered = {k.lower(): v for k, v in params.terms.items()}
        exceptions = {k.lower(): v for k, v in params.exceptions.items()}
        by_subject = {k.lower(): v for k, v in params.by_subject.items()}
        for m in find_phrases(ctx, lowered, skip_roles=_QUOTES, skip_quoted=True):
            if _is_proper_name(m.block.text, m.start, m.text):
                continue
            term = m.phrase.lower()
            span = ctx.spacy_doc(m.block).char_span(m.start, m.end)
            rule = exceptions.get(term)
            if span is not None and rule is not None and self._excepted(ctx, span, rule):
                continue
            replacement = lowered.get(term, "")
            pick = by_subject.get(term)
            if pick is not None and span is not None:
                after = self._preceded_by(ctx, span, pick.subjects, _CLAUSE_END | {","}, None)
                replacement = pick.choice if after else pick.otherwise
            choices = self._choices(ctx, term, replacement, span, m.text)
            yield self.block_hit(
                m.block,
                m.start,
                m.end,
                m.section,
                match=m.text,
                replacement=join_choices(choices, self.message, ctx.language.labels.or_word or "or"),
                suggestion=next((c for c in choices if not c.startswith("(")), None),
            )

    def _excepted(self, ctx: CheckContext, span: Span, rule: TermExceptions) -> bool:
        doc = span.doc
        lemmas = [t.lemma_.lower() or t.lower_ for t in doc]
        ends = [i for i, t in enumerate(doc) if t.text in _CLAUSE_END]
        after_limit = min([i for i in ends if i >= span.end] + [len(doc)])
        for phrase in rule.unless_followed_by:
            wanted = self._lemmas(ctx, phrase)
            last = min(span.end + rule.window, after_limit - len(wanted))
            if any(lemmas[i : i + len(wanted)] == wanted for i in range(span.end, last + 1)):
                return True
        return self._preceded_by(ctx, span, rule.unless_preceded_by, _CLAUSE_END, rule.window)

    def _preceded_by(
        self, ctx: CheckContext, span: Span, phrases: list[str], stops: frozenset[str], window: int | None
    ) -> bool:
        """Whether one of ``phrases`` (as lemmas) stands before ``span`` in its clause, the words
        since the last of ``stops``; within ``window`` words of it (None: anywhere in the clause)."""
        doc = span.doc
        lemmas = [t.lemma_.lower() or t.lower_ for t in doc]
        clause = max([i + 1 for i in range(span.start) if doc[i].text in stops] + [0])
        for phrase in phrases:
            wanted = self._lemmas(ctx, phrase)
            first = clause if window is None else max(span.start - window - len(wanted), clause)
            if any(lemmas[i : i + len(wanted)] == wanted for i in range(first, span.start - len(wanted) + 1)):
                return True
        return False

    @staticmethod
    def _lemmas(ctx: CheckContext, phrase: str) -> list[str]:
        """An exception's words as lemmas, through the same pipeline as the document."""
        key = (id(ctx.nlp), phrase)
        found = _EXCEPTION_LEMMAS.get(key)
        if found is None:
            found = [t.lemma_.lower() or t.lower_ for t in ctx.nlp(phrase.lower())]
            _EXCEPTION_LEMMAS[key] = found
        return found

    def _choices(
        self, ctx: CheckContext, term: str, replacement: str, span: Span | None, text: str
    ) -> list[str]:
        """The replacement's alternatives, each put into the form of the matched word."""
        choices = split_alternatives(replacement)
        form = self._form(ctx, term, span)
        if form is not None:
            choices = [c if c.startswith("(") else ctx.language.inflection.fit(c, form) for c in choices]
        if text[:1].isupper():  # the suggestion keeps the word's case ("PERMITTED" -> "ALLOWED")
            upper = text.isupper() and len(text) > 1
            choices = [
                c if c.startswith("(") else c.upper() if upper else c[:1].upper() + c[1:] for c in choices
            ]
        return choices

    @staticmethod
    def _form(ctx: CheckContext, term: str, span: Span | None) -> str | None:
        """The form the document's word is in when the term is listed in its base form."""
        inflection = ctx.language.inflection
        if span is None or not (inflection.suffixes or inflection.irregular):
            return None
        base = term.split(" ", 1)[0]
        first = span[0]
        if (first.lemma_.lower() or first.lower_) != base:
            return None  # the term is listed inflected ("pertaining to"): its replacement fits
        form = inflection.form_of(first.text, base)
        if form == "past":
            previous = first.nbor(-1).lower_ if first.i > 0 else ""
            form = "past" if previous in inflection.past_after else "participle"
        return form


class PhraseParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrases: list[str] = Field(default_factory=list)
    #: A rule whose period words (units, number words) the language pack holds: a phrase in a
    #: sentence that also gives a concrete period ("as soon as possible, and usually within 24
    #: hours") is advice (info), since the customer is told when after all.
    period_words_of: str | None = None
    #: Phrases reported only when the business is the clause's actor, and then as advice (info):
    #: how often something happens ("we review this policy periodically"), not a deadline.
    needs_subject: list[str] = Field(default_factory=list)
    #: The business speaking of itself as the subject of a clause ("we", "our team", "the company").
    subject_words: list[str] = Field(default_factory=list)
    #: Anyone else as the subject ("you", "users", "the parties"): a vague time in their clause is
    #: a duty placed on them or something they do, not the business's promise.
    other_subjects: list[str] = Field(default_factory=list)
    #: Words that open a clause ("if", "and", "when"): a subject word counts only at the start of
    #: a sentence or clause (after one of these or a punctuation mark), so that the object in
    #: "we will refund you promptly" is not read as the actor.
    clause_starts: list[str] = Field(default_factory=list)
    #: Words that mark the business as the subject wherever they stand in the clause: a
    #: first-person verb form in a language that leaves the pronoun out (Croatian "ćemo").
    subject_markers: list[str] = Field(default_factory=list)
    #: Words right after another party's subject that make the clause a right the business may be
    #: granting ("you may return it within a reasonable time"): its time limit may be the
    #: business's to state, so the phrase is reported as advice rather than dropped.
    grant_words: list[str] = Field(default_factory=list)


class Actor(Enum):
    BUSINESS = "business"
    OTHER = "other"
    UNKNOWN = "unknown"


class Phrase(RuleKind):
    """A phrase that is a problem where the business promises something with it.

    With ``subject_words`` and ``other_subjects`` in the language pack, the clause's actor decides:
    the business -> the rule's severity; someone else -> nothing; no actor found (a passive, an
    imperative) -> advice (info). Without them, every phrase is reported, as before.
    """

    kind = "phrase"
    language_scope = "section"
    Params = PhraseParams
    language_keys = (
        "phrases",
        "needs_subject",
        "subject_words",
        "other_subjects",
        "clause_starts",
        "subject_markers",
        "grant_words",
    )
    vocabulary_keys = ("phrases",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, PhraseParams)
        frequency = {p.lower() for p in params.needs_subject}
        judge_actor = bool(params.subject_words or params.other_subjects or params.subject_markers)
        periods = self._period_vocabulary(ctx)
        for m in find_phrases(
            ctx, [*params.phrases, *params.needs_subject], skip_roles=_QUOTES, skip_quoted=True
        ):
            actor = self._actor(ctx, m.block, m.start, m.end) if judge_actor else Actor.BUSINESS
            if actor is Actor.OTHER:
                continue
            if m.phrase.lower() in frequency:
                if actor is not Actor.BUSINESS:
                    continue
                yield self.block_hit(m.block, m.start, m.end, m.section, match=m.text, advisory=True)
                continue
            advisory = actor is Actor.UNKNOWN or (
                periods is not None and self._period_nearby(ctx, m.block, m.start, m.end, periods)
            )
            yield self.block_hit(m.block, m.start, m.end, m.section, match=m.text, advisory=advisory)

    def _period_vocabulary(self, ctx: CheckContext) -> PeriodVocabulary | None:
        params = self.params
        assert isinstance(params, PhraseParams)
        if params.period_words_of is None:
            return None
        words = ctx.vocabulary(params.period_words_of)
        fields = {k: v for k, v in words.items() if k in PeriodVocabulary.model_fields}
        return PeriodVocabulary.model_validate(fields) if fields.get("units") else None

    @staticmethod
    def _period_nearby(
        ctx: CheckContext, block: Block, start: int, end: int, periods: PeriodVocabulary
    ) -> bool:
        """Whether the phrase's sentence also gives a concrete period ("within 24 hours")."""
        span = ctx.spacy_doc(block).char_span(start, end, alignment_mode="expand")
        return span is not None and bool(find_periods(span.sent.text, periods))

    def _actor(self, ctx: CheckContext, block: Block, start: int, end: int) -> Actor:
        """Who the clause around a phrase is about: the nearest subject word before the phrase in
        its sentence, else the first one after it.

        A subject word counts as the first or second word of a clause (the second for verb-second
        order: "Wenn Sie widerrufen, zahlen wir zeitnah zurück"). The subject of an "if …"
        clause before a comma is not the actor of the main clause after it.
        """
        params = self.params
        assert isinstance(params, PhraseParams)
        doc = ctx.spacy_doc(block)
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return Actor.UNKNOWN
        sent = span.sent
        words = [t.lower_ for t in doc]
        openers = {w.lower() for w in params.clause_starts}
        markers = {w.lower() for w in params.subject_markers}
        grants = [w.lower().split() for w in params.grant_words]
        subjects = [(w.lower().split(), Actor.BUSINESS) for w in params.subject_words]
        subjects += [(w.lower().split(), Actor.OTHER) for w in params.other_subjects]
        position: dict[int, int] = {}
        at = 0
        for i in range(sent.start, sent.end):
            position[i] = at
            at = 0 if doc[i].is_punct or words[i] in openers else at + 1

        def subject_at(i: int) -> tuple[Actor, int] | None:
            if words[i] in markers:
                return Actor.BUSINESS, 1
            if position[i] > 1:
                return None
            best: tuple[Actor, int] | None = None
            for wanted, actor in subjects:
                if words[i : i + len(wanted)] == wanted and (best is None or len(wanted) > best[1]):
                    best = (actor, len(wanted))
            if best is not None and best[0] is Actor.OTHER:
                after = i + best[1]
                if any(words[after : after + len(g)] == g for g in grants):
                    return Actor.UNKNOWN, best[1]
            return best

        crossed_comma = False
        for i in range(span.start - 1, sent.start - 1, -1):
            if doc[i].is_punct:
                crossed_comma = crossed_comma or doc[i].text in ",;"
                continue
            found = subject_at(i)
            if found is None:
                continue
            subordinate = i > sent.start and words[i - 1] in openers
            if crossed_comma and subordinate:
                continue
            return found[0]
        for i in range(span.end, sent.end):
            found = subject_at(i)
            if found is not None:
                return found[0]
        return Actor.UNKNOWN

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
        """Refuse patterns that do not compile, or that RE2 cannot run (users' patterns run on
        RE2, linear in the text: pack_regex).

        Checked when the pack loads, with the flags ``check`` searches with, so a bad pattern
        fails the run with the pack's path and key (exit 2) instead of failing it later.
        """
        for pattern in value:
            compile_pattern(pattern, SEARCH_FLAGS)  # PatternError is a ValueError
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
        """Region evidence is searched like element patterns: refused at load time if RE2 cannot
        run it."""
        for pattern in value:
            compile_pattern(pattern, SEARCH_FLAGS)
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
    vocabulary_keys = ("triggers",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ConditionalParams)
        if set(params.unless_regions) & set(ctx.config.regions):
            return
        if params.region_evidence and not any(
            compile_pattern(p, SEARCH_FLAGS).search(ctx.document.text()) for p in params.region_evidence
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
                if searches(element.patterns, text, SEARCH_FLAGS):
                    continue
            yield element
