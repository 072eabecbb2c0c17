"""Inline suppression comments: how a policy author silences a finding where it is intended.

Markdown and HTML use comments (``<!-- policylint-disable jargon.legalese -->``); plain text uses
a line of its own starting with ``#`` (``# policylint-disable-next-line dates.vague-time``).
Parsers find the comments; :mod:`policylint.suppress` applies them to findings.
"""

from __future__ import annotations

import re

from .document import Directive

_DIRECTIVE = re.compile(
    r"^\s*policylint-(disable-next-line|disable|enable)\b(?P<rules>[^\n]*)$",
    re.IGNORECASE,
)


def parse_directive(comment: str, line: int) -> Directive | None:
    """Read one comment's text (without its ``<!-- -->`` or ``#``) as a directive, if it is one.

    Rules are separated by spaces or commas; none listed means every rule.
    """
    match = _DIRECTIVE.match(comment.strip())
    if match is None:
        return None
    action = match.group(1).lower()
    rules = tuple(r for r in re.split(r"[\s,]+", match.group("rules").strip()) if r)
    return Directive(line=line, action=action, rules=rules)
