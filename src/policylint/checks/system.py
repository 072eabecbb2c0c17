"""The ``system`` kind: rules the engine itself reports (unreadable files, crashed rules).

They live in a pack like every other rule so that ``policylint explain io.unreadable`` works and
their severities can be overridden, but they never run on a document.
"""

from __future__ import annotations

from collections.abc import Iterator

from .base import CheckContext, Hit, RuleKind


class SystemRule(RuleKind):
    kind = "system"
    uses_nlp = False

    def check(self, ctx: CheckContext) -> Iterator[Hit]:
        return iter(())
