"""Import spaCy without its command-line package.

``import spacy`` runs ``from .cli.info import info`` for the ``spacy.info()`` helper, and
``spacy.cli`` imports typer, click, weasel, requests, httpx and jinja2: about 370 modules and a
third of spaCy's import time (0.35 of 1.1 s here), none of which a linter needs. This matters on
every cold run, above all the one-file pre-commit run.

While spaCy's package initialiser runs, ``spacy.cli`` and ``spacy.cli.info`` are placeholders in
``sys.modules``. They are not dead stubs: any attribute read from them imports the real module
and hands back the real attribute, so a spaCy release that needs more from ``spacy.cli`` than
``info`` still imports correctly (it only loses the saving). ``spacy.info`` is a function that
imports the real one when called. Right after the import the placeholders are removed, so a
later ``import spacy.cli`` (ours never does; a caller of the library might) gets the real
package.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

_CLI = "spacy.cli"
_INFO = "spacy.cli.info"


class _Placeholder(types.ModuleType):
    """Stands in for a spaCy CLI module during spaCy's import; forwards to the real one on use."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(_real(self.__name__), name)


def _real(module: str) -> types.ModuleType:
    """The real spaCy CLI module, imported now (placeholders removed first)."""
    _remove_placeholders()
    return importlib.import_module(module)


def _info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``: the real one, imported when first called."""
    return _real(_INFO).info(*args, **kwargs)


def _remove_placeholders() -> None:
    for name in (_INFO, _CLI):
        if isinstance(sys.modules.get(name), _Placeholder):
            del sys.modules[name]
    spacy = sys.modules.get("spacy")
    if spacy is not None and isinstance(spacy.__dict__.get("cli"), _Placeholder):
        del spacy.__dict__["cli"]


def import_spacy() -> types.ModuleType:
    """``import spacy``, without importing ``spacy.cli`` (see the module docstring)."""
    loaded = sys.modules.get("spacy")
    if loaded is not None:
        return loaded
    if _CLI in sys.modules:  # someone imported the real CLI already: nothing to save
        return importlib.import_module("spacy")
    cli = _Placeholder(_CLI)
    info = _Placeholder(_INFO)
    info.info = _info  # type: ignore[attr-defined]
    cli.info = info  # type: ignore[attr-defined]
    sys.modules[_CLI] = cli
    sys.modules[_INFO] = info
    try:
        return importlib.import_module("spacy")
    finally:
        _remove_placeholders()
