"""Word (.docx), OpenDocument (.odt) and PDF policies, read through the optional ``office`` extra.

These formats are not text, so positions cannot point into the file's bytes. Each is *rendered*
to a text with a known line structure, and that rendering is the document's source: findings,
excerpts and suppressions use its line and column, exactly as for a plain-text file.

- **Word and OpenDocument: one paragraph per line.** Line *n* of the rendering is the *n*-th
  paragraph of the document in reading order (body paragraphs and the paragraphs of table
  cells, empty ones included), so a finding's line *is* its paragraph number, and its column the
  character within that paragraph. Line breaks and tabs inside a paragraph become spaces so the
  numbering holds. Sections come from the markup, never from guessing: a paragraph's outline
  level (set on it or on its style, which is how Word marks headings in every UI language), else
  a style named ``Heading N`` or ``Title``. List paragraphs (numbering or a ``List`` style) are
  list items, table cells are table cells.
- **PDF: the extracted text.** pypdf extracts each page in layout mode (which keeps the vertical
  gaps between paragraphs as blank lines); pages are joined with a form feed, and the result is
  read by the plain-text parser, which finds headings from numbering ("1.", "2.3", "Section 4")
  and layout (ALL CAPS lines, short lines standing alone). Lines are lines of that extracted
  text; the page of each finding is given in its ``page`` field.

A missing extra, a damaged file and an encrypted PDF each raise an error saying so in words a
user understands; the engine turns them into ``io.unreadable`` / ``io.parse-error`` findings.
"""

from __future__ import annotations

import io
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..document import Block, BlockRole, Document, FlatHeading, LineIndex, TextBuilder, build_tree
from .text import MAX_LEVEL

OFFICE_FORMATS = ("docx", "odt", "pdf")
INSTALL_HINT = "pip install 'policylint[office]'"
_MODULES = {"docx": "docx", "odt": "odf", "pdf": "pypdf"}
_NAMES = {"docx": "Word (.docx)", "odt": "OpenDocument (.odt)", "pdf": "PDF"}
_INLINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]")
_HEADING_STYLE = re.compile(r"(?i)^(?:heading|overskrift|berschrift|naslov|pealkiri)\s*(\d)$")
_MAX_TABLE_DEPTH = 8  # a table in a cell in a table…: bounded, so a hostile file cannot recurse deeply


class MissingExtra(Exception):
    """The optional reader of this format is not installed."""


class OfficeUnreadable(Exception):
    """A file that is well-formed but cannot be read (an encrypted PDF): ``io.unreadable``."""


def extra_installed(fmt: str) -> bool:
    """Whether the reader of ``fmt`` can be imported (a blocked or broken install counts as missing)."""
    import importlib

    try:
        importlib.import_module(_MODULES[fmt])
    except ImportError:
        return False
    return True


def missing_extra_message(fmt: str) -> str:
    return f"is a {_NAMES[fmt]} file; reading it needs the office extra: {INSTALL_HINT}"


def parse_office(data: bytes, fmt: str, path: str) -> Document:
    """Parse the bytes of a .docx, .odt or .pdf file into a :class:`Document` of that format."""
    if not extra_installed(fmt):
        raise MissingExtra(missing_extra_message(fmt))
    if fmt == "pdf":
        return _parse_pdf(data, path)
    if fmt == "docx":
        paragraphs, title = _docx_paragraphs(data)
    else:
        paragraphs, title = list(_odt_paragraphs(data)), None
    document = _from_paragraphs(paragraphs, fmt, path)
    if title:
        document.metadata["title"] = title  # the file's Title property, as front matter's title
    return document


@dataclass(slots=True)
class _Paragraph:
    text: str
    role: BlockRole
    level: int = 0  # a heading's level, 0 for prose


def _from_paragraphs(paragraphs: list[_Paragraph], fmt: str, path: str) -> Document:
    """One paragraph per line: line n is paragraph n, each block maps to its line verbatim."""
    lines = [_INLINE_BREAKS.sub(" ", p.text) for p in paragraphs]
    source = "\n".join(lines)
    index = LineIndex(source)
    flat = [FlatHeading(level=0, heading=None, line=1)]
    offset = 0
    for number, (para, text) in enumerate(zip(paragraphs, lines, strict=True), start=1):
        start = offset + len(text) - len(text.lstrip())
        stripped = text.strip()
        offset += len(text) + 1
        if not stripped:
            continue
        builder = TextBuilder()
        builder.verbatim(stripped, start)
        if para.level:
            heading = Block.from_builder(builder, BlockRole.HEADING)
            flat.append(FlatHeading(level=min(para.level, MAX_LEVEL), heading=heading, line=number))
        else:
            flat[-1].blocks.append(Block.from_builder(builder, para.role))
    return Document(path=path, format=fmt, source=source, root=build_tree(flat, index), lines=index)


# --- Word -------------------------------------------------------------------------------------


def _docx_paragraphs(data: bytes) -> tuple[list[_Paragraph], str | None]:
    """The paragraphs in reading order and the Title document property."""
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        paragraphs = list(_docx_content(document, BlockRole.PARAGRAPH, 0))
        title = document.core_properties.title
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise ValueError(f"is not a readable Word document ({type(exc).__name__}: {exc})") from None
    return paragraphs, title or None


def _docx_content(container: Any, role: BlockRole, depth: int) -> Iterator[_Paragraph]:
    """Paragraphs and tables of a body or a cell, in reading order; a cell merged across rows
    or columns is the same cell object each time and is read once."""
    from docx.table import Table

    for item in container.iter_inner_content():
        if not isinstance(item, Table):
            yield _docx_paragraph(item, role)
            continue
        if depth >= _MAX_TABLE_DEPTH:
            continue
        seen: set[int] = set()
        for row in item.rows:
            for cell in row.cells:
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                yield from _docx_content(cell, BlockRole.TABLE_CELL, depth + 1)


def _docx_paragraph(paragraph: Any, role: BlockRole) -> _Paragraph:
    level = _docx_heading_level(paragraph)
    if not level and role is BlockRole.PARAGRAPH and _docx_is_list(paragraph):
        role = BlockRole.LIST_ITEM
    return _Paragraph(paragraph.text, role, level)


def _docx_styles(paragraph: Any) -> Iterator[Any]:
    """The paragraph's style and the styles it is based on (bounded against a cycle)."""
    style = paragraph.style
    for _ in range(16):
        if style is None:
            return
        yield style
        style = style.base_style


def _docx_property(paragraph: Any, tag: str) -> Any:
    """A paragraph property set on the paragraph itself, else on its style chain."""
    from docx.oxml.ns import qn

    holders = [paragraph._p.pPr, *(s.element.pPr for s in _docx_styles(paragraph))]
    for ppr in holders:
        if ppr is not None:
            found = ppr.find(qn(tag))
            if found is not None:
                return found
    return None


def _docx_heading_level(paragraph: Any) -> int:
    """Outline level 0-8 means heading level 1-9 (9 is body text); else the style's name."""
    from docx.oxml.ns import qn

    outline = _docx_property(paragraph, "w:outlineLvl")
    if outline is not None:
        value = outline.get(qn("w:val"), "9")
        return int(value) + 1 if value.isdigit() and int(value) < 9 else 0
    for style in _docx_styles(paragraph):
        name = (style.name or "").strip()
        if name.lower() == "title":
            return 1
        match = _HEADING_STYLE.match(name)
        if match is not None:
            return max(1, int(match.group(1)))
    return 0


def _docx_is_list(paragraph: Any) -> bool:
    if _docx_property(paragraph, "w:numPr") is not None:
        return True
    return any((s.name or "").lower().startswith("list") for s in _docx_styles(paragraph))


# --- OpenDocument -----------------------------------------------------------------------------


def _odt_paragraphs(data: bytes) -> Iterator[_Paragraph]:
    from odf import opendocument, teletype

    try:
        document = opendocument.load(io.BytesIO(data))
    except Exception as exc:
        raise ValueError(f"is not a readable OpenDocument text ({type(exc).__name__}: {exc})") from None

    def walk(node: Any, role: BlockRole, depth: int) -> Iterator[_Paragraph]:
        for child in node.childNodes:
            name = getattr(child, "qname", ("", ""))[1]
            if name == "h":
                level = child.getAttribute("outlinelevel") or "1"
                yield _Paragraph(teletype.extractText(child), role, int(level) if level.isdigit() else 1)
            elif name == "p":
                yield _Paragraph(teletype.extractText(child), role)
            elif name == "list-item" and role is BlockRole.PARAGRAPH:
                yield from walk(child, BlockRole.LIST_ITEM, depth + 1)
            elif name == "table-cell" and depth < _MAX_TABLE_DEPTH:
                yield from walk(child, BlockRole.TABLE_CELL, depth + 1)
            elif depth < _MAX_TABLE_DEPTH * 4 and name not in ("tracked-changes", "annotation"):
                yield from walk(child, role, depth + 1)

    yield from walk(document.text, BlockRole.PARAGRAPH, 0)


# --- PDF --------------------------------------------------------------------------------------


def _parse_pdf(data: bytes, path: str) -> Document:
    from .text import parse_text

    pages = _pdf_pages(data)
    parts: list[str] = []
    first_lines: list[int] = []
    line = 1
    for index, text in enumerate(pages):
        first_lines.append(line)
        body = "\n".join(row.rstrip() for row in text.replace("\r\n", "\n").split("\n")).strip("\n")
        # A form feed ends the page's last line: the text parser never joins text across it.
        piece = body + ("\f\n" if index + 1 < len(pages) else "\n")
        parts.append(piece)
        line += piece.count("\n")
    document = parse_text("".join(parts), path)
    document.format = "pdf"
    document.metadata["page_lines"] = first_lines
    return document


def _pdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if encrypted and not reader.decrypt(""):
            raise OfficeUnreadable("is an encrypted PDF (it needs a password); not checked")
        pages = list(reader.pages)
    except OfficeUnreadable:
        raise
    except Exception as exc:  # pypdf raises its own errors and plain ValueError/KeyError alike
        raise ValueError(f"is not a readable PDF ({type(exc).__name__}: {exc})") from None
    texts = [_pdf_page_text(page) for page in pages]
    if not any(t.strip() for t in texts):
        raise OfficeUnreadable("is a PDF without extractable text (a scanned image?); not checked")
    return texts


def _pdf_page_text(page: Any) -> str:
    """Layout mode keeps paragraph gaps as blank lines, which the headings are found by; a page
    it cannot lay out falls back to plain extraction."""
    try:
        return str(page.extract_text(extraction_mode="layout"))
    except Exception:
        return str(page.extract_text() or "")


def page_of(document: Document, line: int) -> int | None:
    """The 1-based page of a line of a PDF's extracted text; None for every other format."""
    first_lines = document.metadata.get("page_lines")
    if not isinstance(first_lines, list) or not first_lines:
        return None
    return max(1, bisect_right(first_lines, line))
