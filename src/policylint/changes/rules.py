"""The ``change`` kind: rules about a change between two versions (``policylint diff``).

Like ``system`` rules they live in a pack (rules/change.toml) so that ``explain``, severities,
``select`` and ``ignore`` work for them, but they never run on a single document: ``check`` skips
them (engine.py) and :mod:`policylint.changes.process` reports them. ``params.old`` holds the old
version of the rule's example; ``example.bad`` and ``example.good`` are new versions of it.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field

from ..checks.base import CheckContext, Hit, RuleKind


class ChangeRuleParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    old: str = Field(default="", description="The old version of the rule's example.")
    today: str = Field(default="", description="The date the example is judged on (YYYY-MM-DD).")


class ChangeRule(RuleKind):
    kind = "change"
    uses_nlp = False
    Params = ChangeRuleParams

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        return iter(())
