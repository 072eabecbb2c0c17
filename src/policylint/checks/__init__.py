"""Rule kinds: the Python half of rules. Built-in kinds and plugins are found the same way.

A built-in kind registers itself: every :class:`~policylint.checks.base.RuleKind` subclass
defined in one of :data:`BUILTIN_KIND_MODULES` with its own ``kind`` is registered under that
name, so a class and the name packs use for it cannot disagree, and a new kind in one of those
modules needs no other line. The modules are imported only when a name is looked up, so that
``policylint --help`` never pays for them. Third-party kinds register a ``RuleKind`` subclass
under the ``policylint.rules`` entry-point group (the name is the kind rule packs use).
"""

from __future__ import annotations

import importlib
import logging
import warnings
from functools import cache, lru_cache
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import RulePackError

if TYPE_CHECKING:
    from .base import RuleKind

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "policylint.rules"

#: The modules that define the built-in rule kinds, in the order a name is looked for. A check
#: run's kinds all live in the first eight; the change-review kind's package (changes/, about
#: 30 ms to import) comes last, so a check never imports it.
BUILTIN_KIND_MODULES: tuple[str, ...] = (
    "policylint.checks.words",
    "policylint.checks.metrics",
    "policylint.checks.structure",
    "policylint.checks.dates",
    "policylint.checks.system",
    "policylint.checks.contact",
    "policylint.checks.consistency",
    "policylint.checks.requests",
    "policylint.changes.rules",
)


def kinds_in(module: ModuleType) -> dict[str, type[RuleKind]]:
    """The rule kinds ``module`` defines (not those it imports), by their own ``kind``: a class
    that inherits its ``kind`` or leaves it empty (a shared base) is not a kind of its own."""
    from .base import RuleKind

    found: dict[str, type[RuleKind]] = {}
    for value in vars(module).values():
        if not (
            isinstance(value, type) and issubclass(value, RuleKind) and value.__module__ == module.__name__
        ):
            continue
        name = value.__dict__.get("kind")
        if not name:
            continue
        if found.get(name, value) is not value:  # one class under two names is still one kind
            raise RulePackError(
                f"rule kind {name!r} is claimed by both {found[name].__qualname__} and "
                f"{value.__qualname__} in {module.__name__}"
            )
        found[name] = value
    return found


@cache
def _module_kinds(module_name: str) -> dict[str, type[RuleKind]]:
    return kinds_in(importlib.import_module(module_name))


def builtin_kinds() -> dict[str, type[RuleKind]]:
    """Every built-in rule kind by name (imports every kind module). Two classes claiming one
    name is a :class:`RulePackError`, wherever they are."""
    table: dict[str, type[RuleKind]] = {}
    for module_name in BUILTIN_KIND_MODULES:
        for name, cls in _module_kinds(module_name).items():
            if name in table:
                raise RulePackError(
                    f"rule kind {name!r} is claimed by both {table[name].__module__}."
                    f"{table[name].__qualname__} and {module_name}.{cls.__qualname__}"
                )
            table[name] = cls
    return table


def _builtin_kind(name: str) -> type[RuleKind] | None:
    """The built-in class of kind ``name``, importing kind modules only until it is found."""
    for module_name in BUILTIN_KIND_MODULES:
        cls = _module_kinds(module_name).get(name)
        if cls is not None:
            return cls
    return None


def __getattr__(name: str) -> object:
    """``BUILTIN_KINDS`` (kind -> ``"module:Class"``), the hand-kept table this registry replaced:
    deprecated, derived from the classes for one release."""
    if name == "BUILTIN_KINDS":
        warnings.warn(
            "policylint.checks.BUILTIN_KINDS is deprecated; use builtin_kinds()",
            DeprecationWarning,
            stacklevel=2,
        )
        return {kind: f"{cls.__module__}:{cls.__qualname__}" for kind, cls in builtin_kinds().items()}
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
        if ep.name in builtin_kinds():
            log.warning("plugin kind %r (%s) shadows a built-in kind and is ignored", ep.name, ep.value)
            continue
        found[ep.name] = ep.value
    return found


@cache
def kind_class(name: str, pack: str = "") -> type[RuleKind]:
    """The class implementing rule kind ``name``."""
    from .base import RuleKind

    builtin = _builtin_kind(name)
    if builtin is not None:
        return builtin
    target = plugin_kinds().get(name)
    if target is None:
        known = ", ".join(sorted({*builtin_kinds(), *plugin_kinds()}))
        raise RulePackError(f"{pack or 'rule pack'}: unknown rule kind {name!r}; known kinds: {known}")
    try:
        cls = _load(target)
    except Exception as exc:
        raise RulePackError(f"rule kind {name!r} ({target}) failed to load: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, RuleKind)):
        raise RulePackError(f"rule kind {name!r} ({target}) is not a policylint RuleKind subclass")
    return cls
