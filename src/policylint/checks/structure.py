"""Rule kinds about a policy's structure: ``required-section`` and ``empty-section``."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from ..classify import kinds_present
from ..config import SECTION_KINDS
from ..extract.phrases import phrase_pattern
from ..findings import Severity
from ..profiles import find_parts, required_kinds, required_parts
from .base import CheckContext, Hit, RuleKind


class RequiredSectionParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section_kind: str

    def model_post_init(self, __context: object) -> None:
        if self.section_kind not in SECTION_KINDS:
            raise ValueError(
                f"unknown section_kind {self.section_kind!r}; allowed: {', '.join(SECTION_KINDS)}"
            )


class RequiredSection(RuleKind):
    """Reports a required kind of section that the document lacks (one finding per kind)."""

    kind = "required-section"
    uses_nlp = False
    Params = RequiredSectionParams

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, RequiredSectionParams)
        wanted = params.section_kind
        if wanted not in required_kinds(ctx.profile, ctx.config):
            return
        if wanted in ctx.memo(
            "kinds_present", lambda: kinds_present(ctx.document, ctx.language, ctx.section_packs)
        ):
            return
        yield Hit(
            fields={"kind_label": ctx.language.kind_label(wanted), "kind": wanted},
            at_most=_doubt(ctx, configured=ctx.config.required_sections is not None),
        )


class EmptySection(RuleKind):
    """Reports a heading with nothing under it: a placeholder someone forgot to fill in.

    A heading followed at once by another heading of the same level is not always a gap: it may
    be a group heading whose subsections were flattened to its level (common in exported web
    pages), or an entry of a table of contents. Such a heading is reported as info. It is a
    warning when nothing at all follows it in its part of the document (the next heading is of a
    higher level, or there is none), or when a comment stands in for the text (the guidance notes
    of a `policylint init` skeleton).
    """

    kind = "empty-section"
    uses_nlp = False
    language_scope = "section"  # said in the section's language

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        sections = list(ctx.document.sections())
        source = ctx.document.source
        for index, section in enumerate(sections):
            if section.children or any(b.text.strip() for b in section.blocks):
                continue
            following = sections[index + 1] if index + 1 < len(sections) else None
            sure = following is None or following.level < section.level
            if not sure and section.heading is not None and following is not None and following.heading:
                between = source[section.heading.source_end : following.heading.source_start]
                sure = "<!--" in between
            hit = self.section_hit(section, title=section.title)
            if not sure:
                hit.at_most = Severity.INFO
            yield hit


class MissingPartParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    supplement_phrases: list[str] = Field(
        default_factory=list,
        description="Wording of a notice that supplements another policy ('We also adhere to the "
        "Mozilla Privacy Policy', 'This section only applies to California residents'): such a "
        "notice may leave parts to the policy it supplements.",
    )


class MissingPart(RuleKind):
    """Reports each part the document's profile requires that the document never addresses.

    A notice that says it supplements another policy (a product's privacy notice under the
    company's privacy policy, a state-law supplement) may leave parts to that policy, which is
    often not in the same repository: its missing parts are said as info.
    """

    kind = "profile-part"
    uses_nlp = False
    Params = MissingPartParams
    language_keys = ("supplement_phrases",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, MissingPartParams)
        parts = required_parts(ctx.profile)
        if not parts:
            return
        text = ctx.document.text()
        supplement = (
            phrase_pattern(params.supplement_phrases, open_end=True).search(text) is not None
            if params.supplement_phrases
            else False
        )
        found = find_parts(ctx.document, ctx.language, parts, ctx.section_packs)
        label = ctx.language.profile_label(
            ctx.profile_name, ctx.profile.label if ctx.profile is not None else ctx.profile_name
        )
        for part in parts:
            vocab = ctx.language.parts.get(part)
            if (
                vocab is not None
                and vocab.applies_if
                and phrase_pattern(vocab.applies_if, open_end=True).search(text) is None
            ):
                continue  # about goods, in a document that sells none
            # A language with no vocabulary for a part cannot judge it: say nothing rather than guess.
            if part not in found and part in ctx.language.parts:
                yield Hit(
                    fields={"part_label": ctx.language.kind_label(part), "part": part, "profile": label},
                    at_most=Severity.INFO if supplement else _doubt(ctx),
                )


def _doubt(ctx: CheckContext, configured: bool = False) -> Severity | None:
    """A missing part is certainly missing only from a document whose kind is certain (named by
    its title, file name or config): where the kind was inferred from the content, the finding
    is at most a warning. ``configured``: the config itself lists the required sections."""
    return None if configured or ctx.profile_certain else Severity.WARNING
