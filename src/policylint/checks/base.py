"""What a rule kind is: the Python half of a rule, configured by the data half from a pack.

A kind validates its parameters once (a pydantic model, so a typo in a pack is an error with the
pack's path), then checks documents. It yields :class:`Hit` objects and never prints or decides
severities: the engine turns hits into findings, applies severities and suppressions.
Third-party kinds subclass :class:`RuleKind` and register under the ``policylint.rules``
entry-point group.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from ..document import Block, Document, Section
from ..findings import Severity
from ..timings import TIMINGS

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..config import Config
    from ..packs import LanguagePack, ProfileSpec, RuleSpec


T = TypeVar("T")

#: Set in a process that must not import spaCy (the runner's helper, see prepare.py): asking
#: for the pipeline there raises :class:`NlpRefused` instead.
_nlp_refused = False


class NlpRefused(BaseException):
    """A rule asked for spaCy in a process that refuses it (see :func:`refuse_nlp`).

    A BaseException, not an Exception, on purpose: the engine turns a rule's Exception into an
    ``internal.rule-error`` finding, and this is no error of the rule's; the helper that set the
    refusal catches it and leaves the document to a worker that has spaCy.
    """


def refuse_nlp() -> None:
    """Make every later :attr:`CheckContext.nlp` in this process raise :class:`NlpRefused`."""
    global _nlp_refused
    _nlp_refused = True


class NoParams(BaseModel):
    model_config = ConfigDict(extra="forbid")


@dataclass(slots=True)
class Hit:
    """A rule's raw result: what to say and where (source offsets; None means the whole document)."""

    fields: dict[str, Any]
    start: int | None = None
    end: int | None = None
    section: Section | None = None
    suggestion: str | None = None
    #: The highest severity this hit may have, whatever the rule's configured severity: a rule
    #: that is less sure than usual says so here (a required part missing from a document whose
    #: kind was only inferred: warning; a sentence just over the limit: info).
    at_most: Severity | None = None


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(template: str, fields: dict[str, Any]) -> str:
    """Fill a message template; unknown placeholders stay visible instead of raising.

    ``str.format_map`` fills a template as ``string.Formatter`` does (the same parser, the same
    mapping look-ups) but in C, which matters with a message per finding. A template it refuses
    (positional fields, a bad spec) goes through ``Formatter``, so errors read as they always did.
    """
    mapping = _SafeDict(fields)
    try:
        return template.format_map(mapping)
    except Exception:
        return string.Formatter().vformat(template, (), mapping)


class CheckContext:
    """Everything a rule may read about one document, with the NLP work done lazily and once."""

    def __init__(
        self,
        document: Document,
        config: Config,
        language: LanguagePack,
        today: dt.date,
        nlp_model: str | None = None,
    ) -> None:
        self.document = document
        self.config = config
        self.language = language
        self.today = today
        self._nlp_model = nlp_model
        # Keyed by id(block); the block is kept with its Doc so that an id is never reused
        # for another block (a rule's temporary block) while this context lives.
        self._docs: dict[int, tuple[Block, Doc]] = {}
        self._batched = False
        self._memo: dict[str, Any] = {}
        #: False when no language pack matches the document (the engine then runs no rules).
        self.supported_language = True
        #: The document's profile (set by the engine before rules run).
        self.profile_name: str = "generic"
        self.profile: ProfileSpec | None = None
        #: Every profile the document is held to (a title may name several) and why.
        self.profile_names: tuple[str, ...] = ("generic",)
        self.profile_source: str = "default"
        self.profile_certain: bool = False
        self.profile_evidence: str = ""
        #: Packs of the languages the document's sections are written in, by code (see
        #: ``Section.language``): section kinds and parts are read with each section's own.
        self.section_packs: dict[str, LanguagePack] = {}

    def for_language(self, document: Document, language: LanguagePack, nlp_model: str | None) -> CheckContext:
        """A context for the part of the document in another language (``document`` is a
        ``LanguageView``), or for the document's own language's part: that one shares this
        context's spaCy results, since it uses the same pipeline."""
        view = CheckContext(document, self.config, language, self.today, nlp_model)
        view.supported_language = self.supported_language
        view.profile_name = self.profile_name
        view.profile = self.profile
        view.profile_names = self.profile_names
        view.profile_source = self.profile_source
        view.profile_certain = self.profile_certain
        view.profile_evidence = self.profile_evidence
        view.section_packs = self.section_packs
        if language is self.language and nlp_model == self._nlp_model:
            view._docs = self._docs
        return view

    @cached_property
    def nlp(self) -> Language:
        if _nlp_refused:
            raise NlpRefused(self.document.path)
        from ..nlp import pipeline_for

        with TIMINGS.timed("nlp"):  # the first call in a process imports spaCy
            return pipeline_for(self.language, self._nlp_model)

    def _prose_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for sec in self.document.all_sections():
            if sec.heading is not None:
                blocks.append(sec.heading)
            blocks.extend(sec.blocks)
        return blocks

    def spacy_doc(self, block: Block) -> Doc:
        """The spaCy Doc of a block; all blocks are processed in one batch on first use.

        Character offsets in the Doc are offsets in ``block.text``, for every block: a block
        longer than spaCy's ``max_length`` is parsed in pieces cut at sentence ends and merged
        back (never truncated, which would silently drop its findings), and a long run of text
        without spaces is tokenised by a linear rule of our own, because spaCy's tokenizer
        takes quadratic time on runs such as ``((((…`` or ``&#&#…`` (minutes for a few kB).
        """
        entry = self._docs.get(id(block))
        if entry is not None and entry[0] is block:
            return entry[1]
        if not self._batched:
            self._batched = True
            pending = [b for b in self._prose_blocks() if id(b) not in self._docs]
            with TIMINGS.timed("nlp"):
                parsed_docs = _parse_texts(self.nlp, [b.text for b in pending])
            for blk, parsed in zip(pending, parsed_docs, strict=True):
                self._docs[id(blk)] = (blk, parsed)
            entry = self._docs.get(id(block))
            if entry is not None and entry[0] is block:
                return entry[1]
        # A block not in the document tree (built by a rule).
        (doc,) = _parse_texts(self.nlp, [block.text])
        self._docs[id(block)] = (block, doc)
        return doc

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute something once per document and share it between rules (e.g. effective dates)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def vocabulary(self, rule_id: str) -> dict[str, Any]:
        """Language-specific data the language pack holds for a rule."""
        # A translated message alone is not vocabulary: rules that run only when their language has
        # vocabulary must not switch on because a pack translated their message.
        return {k: v for k, v in self.language.rules.get(rule_id, {}).items() if k != "message"}


class RuleKind:
    """Base class of rule kinds. Subclasses set ``kind`` and ``Params`` and implement ``check``."""

    kind: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    #: Keys of ``Params`` that language packs supply (``[rules."<id>"]`` in rules/lang/*.toml).
    language_keys: ClassVar[tuple[str, ...]] = ()
    #: Keys of ``Params`` that hold the words the rule reads text with (term lists, phrases,
    #: channel words). When a language gives none of them, the rule cannot judge a document in
    #: it and finds nothing: :meth:`lacks_vocabulary` says so, ``policylint rules --language``
    #: lists it, and a run reports ``language.partial`` rather than skipping it in silence.
    vocabulary_keys: ClassVar[tuple[str, ...]] = ()
    #: How the rule runs on a document whose sections are in different languages:
    #: "document" (the default) judges the document as a whole and runs once, over all of it, in
    #: the document's language; "section" judges text where it stands (words, sentences, dates)
    #: and runs on each language's sections with the rule built for that language; "main" runs
    #: only on the sections in the document's language. A single-language document is always
    #: checked whole.
    language_scope: ClassVar[str] = "document"
    #: False for a kind that reads only the document's text and sections, never spaCy's tokens
    #: (``ctx.nlp``, ``ctx.spacy_doc``, phrase matching): the runner may then run it ahead, in a
    #: helper process that has not imported spaCy (see prepare.py). True, the safe default, for
    #: any kind that does not say.
    uses_nlp: ClassVar[bool] = True

    def __init__(self, spec: RuleSpec, params: BaseModel, language: LanguagePack) -> None:
        self.spec = spec
        self.params = params
        self.language = language
        #: The message template: the pack's, or the language pack's translation of it.
        self.message = spec.message

    @property
    def id(self) -> str:
        return self.spec.id

    def scope(self) -> str:
        """``language_scope``, which a kind may decide from its parameters."""
        return self.language_scope

    def lacks_vocabulary(self) -> bool:
        """True when the rule's language supplies none of its :attr:`vocabulary_keys`.

        Such a rule can only stay silent (English words on a Danish page would be noise), and
        silence must not pass for a clean result: the engine reports it as ``language.partial``.
        """
        keys = self.vocabulary_keys
        return bool(keys) and not any(getattr(self.params, key, None) for key in keys)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError

    # Helpers shared by kinds -------------------------------------------------------------
    @staticmethod
    def block_hit(block: Block, start: int, end: int, section: Section | None, **fields: Any) -> Hit:
        s, e = block.source_range(start, end)
        suggestion = fields.pop("suggestion", None)
        # ``advisory=True``: the rule is less sure of this hit than of others (a sentence just over
        # the limit, a vague time with no clear actor), so it is at most info, whatever the rule's
        # configured severity: advice never fails a build.
        advisory = bool(fields.pop("advisory", False))
        at_most = Severity.INFO if advisory else None
        return Hit(fields=fields, start=s, end=e, section=section, suggestion=suggestion, at_most=at_most)

    @staticmethod
    def section_hit(section: Section, **fields: Any) -> Hit:
        suggestion = fields.pop("suggestion", None)
        if section.heading is not None:
            return Hit(
                fields=fields,
                start=section.heading.source_start,
                end=section.heading.source_end,
                section=section,
                suggestion=suggestion,
            )
        return Hit(fields=fields, section=section, suggestion=suggestion)


# -- spaCy on text of any size (used by CheckContext.spacy_doc) --------------------------------

#: Longer runs of non-space characters are tokenised by :func:`_run_words`, not by spaCy.
#: spaCy strips one prefix or suffix character per regex scan of the whole run, so its cost
#: grows with the square of the run; at 32 characters the worst case stays within about twice
#: the cost of ordinary prose, and almost no word or number is that long (links are kept whole).
LONG_RUN_CHARS = 32
_LONG_RUN = re.compile(rf"\S{{{LONG_RUN_CHARS + 1},}}")
_WORD_OR_CHAR = re.compile(r"\w+|\S")
_LINK = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,15}://|www\.|mailto:", re.IGNORECASE)
# Ends of whitespace runs (the lookbehinds keep the scans linear inside long runs of spaces).
_SENTENCE_GAP = re.compile(r"[.!?…]\s+(?=\S)|(?<!\s)\n\s*(?=\S)")
_GAP = re.compile(r"(?<!\s)\s+(?=\S)")
_OPENERS = frozenset("([{<\"'«“‘„¿¡")
_CLOSERS = frozenset(")]}>\"'»”’.,;:!?…")


@dataclass(frozen=True, slots=True)
class _Piece:
    text: str
    raw: bool  # a long run: tokenised by _run_words, not by spaCy's tokenizer


def _run_words(run: str) -> list[str]:
    """Tokens of a long run without spaces, in linear time and close to spaCy's own split.

    Opening and closing punctuation come off as single tokens, a link or email address stays
    one token (so ``like_url`` still tells rules to skip it), and anything else splits into
    words and single symbols, as spaCy's infix rules would.
    """
    i, j = 0, len(run)
    while i < j and run[i] in _OPENERS:
        i += 1
    while j > i and run[j - 1] in _CLOSERS:
        j -= 1
    core = run[i:j]
    words = list(run[:i])
    if core:
        at = core.find("@")
        if _LINK.match(core) or (at > 0 and core.count("@") == 1 and "." in core[at:]):
            words.append(core)
        else:
            words.extend(_WORD_OR_CHAR.findall(core))
    words.extend(run[j:])
    return words


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of ``text[start:]`` of at most ``limit`` characters.

    Always at the end of a run of whitespace, so that no token and no whitespace token is split
    and each piece tokenises exactly as the same characters do inside the whole text; after a
    sentence end if there is one in the second half of the window, else after any space.
    """
    end = start + limit
    for pattern, lo in ((_SENTENCE_GAP, start + limit // 2), (_GAP, start + 1)):
        cut = -1
        for match in pattern.finditer(text, lo, end + 1):  # +1: the lookahead sees text[end]
            if match.end() <= end:
                cut = match.end()
        if cut > start:
            return cut
    return end  # no whitespace at all (or one run of it) in the window: nothing better exists


def _pieces(text: str, limit: int) -> list[_Piece]:
    """``text`` as consecutive pieces (they concatenate to it exactly), each short enough for spaCy."""
    if len(text) <= limit and _LONG_RUN.search(text) is None:
        return [_Piece(text, raw=False)]  # nearly every block: one piece, as the loop below gives
    pieces: list[_Piece] = []

    def plain(start: int, end: int) -> None:
        while end - start > limit:
            cut = _cut(text, start, limit)
            pieces.append(_Piece(text[start:cut], raw=False))
            start = cut
        if end > start:
            pieces.append(_Piece(text[start:end], raw=False))

    done = 0
    for match in _LONG_RUN.finditer(text):
        start, end = match.span()
        if text.startswith(" ", end):
            end += 1  # the space after a token belongs to it (Token.whitespace_)
        plain(done, start)
        pieces.append(_Piece(text[start:end], raw=True))
        done = end
    plain(done, len(text))
    return pieces or [_Piece("", raw=False)]


def _run_doc(nlp: Language, text: str) -> Doc:
    """A Doc for one long run (plus at most one trailing space), through the pipeline's components."""
    from spacy.tokens import Doc

    run = text.rstrip(" ")
    words = _run_words(run)
    spaces = [False] * len(words)
    spaces[-1] = len(text) > len(run)
    doc = Doc(nlp.vocab, words=words, spaces=spaces)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _resplit_sentences(nlp: Language, doc: Doc) -> None:
    """Redo the sentence splitter's decisions over a merged Doc, as if it had seen the text
    whole: each piece's first token would otherwise always start a sentence."""
    if "sentencizer" not in nlp.pipe_names:
        return  # a trained sentence splitter: keep its per-piece decisions
    splitter: Any = nlp.get_pipe("sentencizer")
    if not hasattr(splitter, "set_starts"):  # spaCy's own Sentencizer (next to a trained model)
        from ..nlp import _Sentences

        splitter = _Sentences(getattr(splitter, "punct_chars", ()))
    splitter.set_starts(doc)


def _parse_texts(nlp: Language, texts: list[str]) -> list[Doc]:
    """One Doc per text, whatever its length, with character offsets into that text.

    Ordinary texts go through ``nlp.pipe`` in one batch as before; only texts with a piece that
    needs special handling are assembled with ``Doc.from_docs``, which keeps every token's
    character offset when the pieces' texts concatenate to the original.
    """
    from spacy.tokens import Doc

    from ..nlp import MAX_TEXT_CHARS

    limit = max(1000, min(MAX_TEXT_CHARS, nlp.max_length - 1))
    plans = [_pieces(text, limit) for text in texts]
    parsed = iter(nlp.pipe((p.text for plan in plans for p in plan if not p.raw), batch_size=256))
    docs: list[Doc] = []
    for plan in plans:
        if len(plan) == 1 and not plan[0].raw:
            docs.append(next(parsed))
            continue
        parts = [_run_doc(nlp, p.text) if p.raw else next(parsed) for p in plan]
        merged = Doc.from_docs(parts, ensure_whitespace=False)
        _resplit_sentences(nlp, merged)
        docs.append(merged)
    return docs
