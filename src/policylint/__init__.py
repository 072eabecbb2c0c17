"""policylint: lint customer-facing policies for missing sections, unclear dates, jargon and
regulatory gaps.

The public API is imported lazily so that ``import policylint`` (and the CLI's ``--help``) stays
fast; spaCy and textstat load only when a rule needs them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .api import check_paths, check_text, load_document
    from .batch import lint_batch
    from .changes import Change, ChangeReport, diff_git, diff_paths, diff_texts
    from .config import Config
    from .findings import Finding, Report, Severity

__all__ = [
    "Change",
    "ChangeReport",
    "Config",
    "Finding",
    "Report",
    "Severity",
    "__version__",
    "check_paths",
    "check_text",
    "diff_git",
    "diff_paths",
    "diff_texts",
    "lint_batch",
    "load_document",
]

_LAZY = {
    "check_paths": "api",
    "check_text": "api",
    "load_document": "api",
    "lint_batch": "batch",
    "diff_texts": "changes",
    "diff_paths": "changes",
    "diff_git": "changes",
    "Change": "changes",
    "ChangeReport": "changes",
    "Config": "config",
    "Finding": "findings",
    "Report": "findings",
    "Severity": "findings",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'policylint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
