"""What a rule kind is: the Python half of a rule, configured by the data half from a pack.

A kind validates its parameters once (a pydantic model, so a typo in a pack is an error with the
pack's path), then checks documents. It yields :class:`Hit` objects and never prints or decides
severities: the engine turns hits into findings, applies severities and suppressions.
Third-party kinds subclass :class:`RuleKind` and register under the ``policylint.rules``
entry-point group.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from pydantic import BaseModel, ConfigDict

from ..document import Block, Document, Section

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..config import Config
    from ..packs import LanguagePack, ProfileSpec, RuleSpec


T = TypeVar("T")


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


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render_message(template: str, fields: dict[str, Any]) -> str:
    """Fill a message template; unknown placeholders stay visible instead of raising."""
    return string.Formatter().vformat(template, (), _SafeDict(fields))


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
        self._docs: dict[int, Doc] = {}
        self._memo: dict[str, Any] = {}
        #: False when no language pack matches the document (the engine then runs no rules).
        self.supported_language = True
        #: The document's profile (set by the engine before rules run).
        self.profile_name: str = "customer-service"
        self.profile: ProfileSpec | None = None

    @cached_property
    def nlp(self) -> Language:
        from ..nlp import pipeline

        return pipeline(self.language.language.spacy, self._nlp_model)

    def _prose_blocks(self) -> list[Block]:
        blocks: list[Block] = []
        for sec in self.document.all_sections():
            if sec.heading is not None:
                blocks.append(sec.heading)
            blocks.extend(sec.blocks)
        return blocks

    def spacy_doc(self, block: Block) -> Doc:
        """The spaCy Doc of a block; all blocks are processed in one batch on first use."""
        key = id(block)
        doc = self._docs.get(key)
        if doc is None:
            from ..nlp import MAX_TEXT_CHARS

            pending = [b for b in self._prose_blocks() if id(b) not in self._docs]
            texts = [b.text[:MAX_TEXT_CHARS] for b in pending]
            for blk, parsed in zip(pending, self.nlp.pipe(texts, batch_size=256), strict=True):
                self._docs[id(blk)] = parsed
            doc = self._docs.get(key)
            if doc is None:  # a block not in the document tree (built by a rule)
                doc = self.nlp(block.text[:MAX_TEXT_CHARS])
                self._docs[key] = doc
        return doc

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """Compute something once per document and share it between rules (e.g. effective dates)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return cast(T, self._memo[key])

    def vocabulary(self, rule_id: str) -> dict[str, Any]:
        """Language-specific data the language pack holds for a rule."""
        return self.language.rules.get(rule_id, {})


class RuleKind:
    """Base class of rule kinds. Subclasses set ``kind`` and ``Params`` and implement ``check``."""

    kind: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    #: Keys of ``Params`` that language packs supply (``[rules."<id>"]`` in rules/lang/*.toml).
    language_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, spec: RuleSpec, params: BaseModel, language: LanguagePack) -> None:
        self.spec = spec
        self.params = params
        self.language = language

    @property
    def id(self) -> str:
        return self.spec.id

    def check(self, ctx: CheckContext) -> Iterator[Hit]:  # pragma: no cover - abstract
        raise NotImplementedError

    # Helpers shared by kinds -------------------------------------------------------------
    @staticmethod
    def block_hit(block: Block, start: int, end: int, section: Section | None, **fields: Any) -> Hit:
        s, e = block.source_range(start, end)
        suggestion = fields.pop("suggestion", None)
        return Hit(fields=fields, start=s, end=e, section=section, suggestion=suggestion)

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
