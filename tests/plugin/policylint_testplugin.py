"""A third-party rule kind, as a plugin package would ship it (registered by test_plugins.py)."""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict

from policylint.checks.base import CheckContext, Hit, RuleKind


class ShoutingParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_letters: int = 4


class Shouting(RuleKind):
    """Flags words written in capitals, which read as shouting."""

    kind = "shouting"
    Params = ShoutingParams

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        params = self.params
        assert isinstance(params, ShoutingParams)
        for section, block in ctx.document.blocks():
            start = 0
            for word in block.text.split():
                start = block.text.index(word, start)
                letters = [c for c in word if c.isalpha()]
                if len(letters) >= params.min_letters and all(c.isupper() for c in letters):
                    yield self.block_hit(block, start, start + len(word), section, word=word)
                start += len(word)


class AlwaysCrash(RuleKind):
    """A broken plugin rule: policylint must isolate it."""

    kind = "always-crash"

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        raise RuntimeError("plugin bug")


class KillProcess(RuleKind):
    """Kills the process checking a document that asks for it: a stand-in for a native crash."""

    kind = "kill-process"

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        import os

        if "KILL-THE-WORKER" in ctx.document.source:
            os._exit(3)
        return iter(())
