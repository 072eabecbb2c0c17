"""Rule kinds about dates: ``ambiguous-date`` and ``effective-date`` (missing or stale)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..dates import effective_dates, find_dates, months_between
from ..findings import Severity
from .base import CheckContext, Hit, RuleKind

_DIGIT = re.compile(r"\d")


class AmbiguousDate(RuleKind):
    """Numeric dates that read differently in Europe and the US."""

    kind = "ambiguous-date"
    uses_nlp = False
    language_scope = "section"

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        vocab = ctx.language.dates
        for section, block in ctx.document.blocks():
            if _DIGIT.search(block.text) is None:
                continue
            for mention in find_dates(block.text, vocab):
                if not mention.ambiguous or block.is_protected(mention.start, mention.end):
                    continue
                first, second = mention.readings
                yield self.block_hit(
                    block,
                    mention.start,
                    mention.end,
                    section,
                    match=mention.text,
                    reading1=vocab.long_date(first),
                    reading2=vocab.long_date(second),
                    suggestion=f"{first.isoformat()} {ctx.language.labels.or_word or 'or'} {second.isoformat()}",
                )


class EffectiveDateParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    check: Literal["missing", "stale"]


class EffectiveDate(RuleKind):
    """A policy must say from when it applies, and that date must be reviewed regularly."""

    kind = "effective-date"
    uses_nlp = False
    Params = EffectiveDateParams

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, EffectiveDateParams)
        found = ctx.memo("effective_dates", lambda: effective_dates(ctx.document, ctx.language.dates))
        # The yearly review and the visible date are owed to customers: in a document that makes
        # them no promises (community guidelines, a business agreement) or of unknown kind, they
        # are good practice, so the finding is advice.
        customers = ctx.profile is not None and ctx.profile.customer_facing
        at_most = None if customers else Severity.INFO
        if params.check == "missing":
            if not found:
                yield Hit(fields={}, at_most=at_most)
            return
        if not found:
            return
        latest = max(found, key=lambda e: e.latest_day)
        age = months_between(latest.latest_day, ctx.today)
        limit = ctx.config.stale_after_months
        if age >= limit:
            yield Hit(
                fields={"date": latest.text, "age_months": age, "limit": limit},
                start=latest.start,
                end=latest.end,
                section=latest.section,
                at_most=at_most,
            )
