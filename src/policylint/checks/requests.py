"""Rule kind ``request-channel``: a customer is told to ask for something (a refund) but not where.

"You may request a refund" is a promise the customer can only use with a way to send the request:
an email address, a phone number, a web form or a link, in the section that makes the promise or
in a contact section. Channels are found by the contact extractor (``extract/channels.py``) with the
language's ``[rules."contact.too-few-channels"]`` vocabulary, so this kind has no channel words of
its own; its triggers are language data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from ..classify import is_document_title, kinds_present
from ..document import Section
from ..extract.channel_text import CONCRETE_KINDS, ChannelVocabulary
from ..extract.channels import Channel, channels_in
from .base import CheckContext, Hit, RuleKind
from .contact import document_channels
from .matching import find_phrases


class RequestChannelParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    triggers: list[str] = Field(default_factory=list, description="Phrases that invite a request.")
    channel_rule: str = Field(
        default="contact.too-few-channels",
        description="Rule whose language vocabulary tells the contact extractor what a channel is.",
    )
    near_kinds: list[str] = Field(
        default_factory=lambda: ["contact", "complaints"],
        description="Section kinds whose channels serve every request in the document.",
    )


def _vocabulary(ctx: CheckContext, rule_id: str) -> ChannelVocabulary:
    data = ctx.vocabulary(rule_id)
    fields = ChannelVocabulary.model_fields
    return ChannelVocabulary(**{k: v for k, v in data.items() if k in fields})


def _scopes(section: Section) -> list[Section]:
    """The trigger's section and, unless it titles the whole document, its parent section."""
    scopes = [section]
    parent = section.parent
    if parent is not None and parent.level > 0 and not is_document_title(parent):
        scopes.append(parent)
    return scopes


class RequestChannel(RuleKind):
    kind = "request-channel"
    Params = RequestChannelParams
    language_keys = ("triggers",)

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, RequestChannelParams)
        triggers = list(find_phrases(ctx, params.triggers, skip_quoted=True))
        if not triggers:
            return
        channels = [
            c
            for c in document_channels(ctx, _vocabulary(ctx, params.channel_rule))
            if c.kind in CONCRETE_KINDS
        ]
        present = ctx.memo(
            "kinds_present", lambda: kinds_present(ctx.document, ctx.language, ctx.section_packs)
        )
        if any(channels_in(s, channels) for kind in params.near_kinds for s in present.get(kind, [])):
            return
        for trigger in triggers:
            if self._reachable(trigger.section, channels):
                continue
            yield self.block_hit(
                trigger.block, trigger.start, trigger.end, trigger.section, trigger=trigger.text
            )
            return  # one finding per document: the fix (a channel) serves every mention

    @staticmethod
    def _reachable(section: Section, channels: Sequence[Channel]) -> bool:
        return any(channels_in(scope, channels) for scope in _scopes(section))
