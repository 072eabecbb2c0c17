"""Parsers turn a file's text into a :class:`~policylint.document.Document`, one module per format.

A parser never knows about rules: it finds headings, prose blocks, metadata and suppression
comments, and records where every character of prose came from.
"""

from __future__ import annotations

from pathlib import PurePath

from ..document import Document

FORMATS = ("markdown", "html", "text")
#: Formats read from bytes by the optional ``office`` extra (parsers/office.py), not from text.
BINARY_FORMATS = ("docx", "odt", "pdf")

_EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".odt": "odt",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    "": "text",
}


def format_for_path(path: str) -> str | None:
    """The format a file's extension implies, or None when policylint does not read such files."""
    return _EXTENSIONS.get(PurePath(path).suffix.lower())


def parse(source: str, fmt: str, path: str = "<text>") -> Document:
    """Parse ``source`` in format ``fmt`` (``markdown``, ``html`` or ``text``)."""
    if fmt == "markdown":
        from .markdown import parse_markdown

        return parse_markdown(source, path)
    if fmt == "html":
        from .html import parse_html

        return parse_html(source, path)
    if fmt == "text":
        from .text import parse_text

        return parse_text(source, path)
    raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
