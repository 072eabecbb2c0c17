"""Rule kinds: the Python half of rules. Built-in kinds and plugins are found the same way.

Built-in kinds are imported lazily by name so that ``policylint --help`` never pays for spaCy;
third-party kinds register a :class:`~policylint.checks.base.RuleKind` subclass under the
``policylint.rules`` entry-point group (the name is the kind rule packs use).
"""

from __future__ import annotations

import importlib
import logging
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from ..errors import RulePackError

if TYPE_CHECKING:
    from .base import RuleKind

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "policylint.rules"

BUILTIN_KINDS: dict[str, str] = {
    "substitution": "policylint.checks.words:Substitution",
    "phrase": "policylint.checks.words:Phrase",
    "conditional": "policylint.checks.words:Conditional",
    "readability": "policylint.checks.metrics:Readability",
    "sentence-length": "policylint.checks.metrics:SentenceLength",
    "required-section": "policylint.checks.structure:RequiredSection",
    "empty-section": "policylint.checks.structure:EmptySection",
    "profile-part": "policylint.checks.structure:MissingPart",
    "ambiguous-date": "policylint.checks.dates:AmbiguousDate",
    "effective-date": "policylint.checks.dates:EffectiveDate",
    "system": "policylint.checks.system:SystemRule",
    "change": "policylint.changes.rules:ChangeRule",
    "contact-channels": "policylint.checks.contact:ContactChannels",
    "contact-section-channel": "policylint.checks.contact:ContactSectionChannel",
    "response-time": "policylint.checks.contact:ResponseTime",
    "consistent-periods": "policylint.checks.consistency:ConsistentPeriods",
    "consistent-dates": "policylint.checks.consistency:ConsistentDates",
    "consistent-contacts": "policylint.checks.consistency:ConsistentContacts",
    "request-channel": "policylint.checks.requests:RequestChannel",
}


def _load(target: str) -> type[RuleKind]:
    module_name, _, attr = target.partition(":")
    module = importlib.import_module(module_name)
    cls = getattr(module, attr)
    return cls  # type: ignore[no-any-return]


@lru_cache(maxsize=1)
def plugin_kinds() -> dict[str, str]:
    """Kinds offered by installed plugins: kind name -> 'module:Class'."""
    from importlib.metadata import entry_points

    found: dict[str, str] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in BUILTIN_KINDS:
            log.warning("plugin kind %r (%s) shadows a built-in kind and is ignored", ep.name, ep.value)
            continue
        found[ep.name] = ep.value
    return found


@cache
def kind_class(name: str, pack: str = "") -> type[RuleKind]:
    """The class implementing rule kind ``name``."""
    from .base import RuleKind

    target = BUILTIN_KINDS.get(name) or plugin_kinds().get(name)
    if target is None:
        known = ", ".join(sorted({*BUILTIN_KINDS, *plugin_kinds()}))
        raise RulePackError(f"{pack or 'rule pack'}: unknown rule kind {name!r}; known kinds: {known}")
    try:
        cls = _load(target)
    except Exception as exc:
        raise RulePackError(f"rule kind {name!r} ({target}) failed to load: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, RuleKind)):
        raise RulePackError(f"rule kind {name!r} ({target}) is not a policylint RuleKind subclass")
    return cls
