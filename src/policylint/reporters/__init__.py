"""Reporters turn a :class:`~policylint.findings.Report` into one output format each.

A reporter never decides what is a finding; it only renders. Formats are looked up lazily so
that the text reporter's rich import is not paid by ``--format json``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from ..findings import Report

REPORTERS: dict[str, str] = {
    "text": "policylint.reporters.text:render",
    "json": "policylint.reporters.json_report:render",
    "sarif": "policylint.reporters.sarif:render",
    "github": "policylint.reporters.github:render",
    "junit": "policylint.reporters.junit:render",
    "gitlab": "policylint.reporters.gitlab:render",
    "html": "policylint.reporters.html:render",
}


class RenderOptions:
    """What a reporter may need beyond the report itself.

    A plain class, not a dataclass: this module is imported on the replay path, where importing
    ``dataclasses`` (which imports ``inspect``, ``ast``, ``dis`` and ``tokenize``) cost 13 ms.
    """

    __slots__ = ("color", "extra", "source_of", "width")

    def __init__(
        self,
        source_of: Callable[[str], str | None] = lambda _path: None,
        color: bool | None = None,
        width: int | None = None,
        extra: dict[str, object] | None = None,
    ) -> None:
        #: Returns the text of a checked file (to show the offending line), or None.
        self.source_of = source_of
        self.color = color
        self.width = width
        self.extra: dict[str, object] = extra if extra is not None else {}


def get_reporter(name: str) -> Callable[[Report, TextIO, RenderOptions], None]:
    target = REPORTERS.get(name)
    if target is None:
        raise ValueError(f"unknown format {name!r}; choose from: {', '.join(REPORTERS)}")
    module_name, _, attr = target.partition(":")
    func: Callable[[Report, TextIO, RenderOptions], None] = getattr(
        importlib.import_module(module_name), attr
    )
    return func
