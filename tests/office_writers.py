"""Writers that turn a policy into a real .docx (python-docx) or .pdf (fpdf2) for the tests.

The content comes from policylint's own parse of the original (Markdown, HTML or text), so the
Word and PDF files hold the same headings, paragraphs, list items and table cells; what the
office parsers then read back is compared with the original's findings.
"""

from __future__ import annotations

from pathlib import Path

from policylint.document import BlockRole, Document
from policylint.parsers import format_for_path, parse


def load(path: Path) -> Document:
    """The parsed original."""
    fmt = format_for_path(str(path)) or "text"
    return parse(path.read_text(encoding="utf-8"), fmt, str(path))


def write_docx(document: Document, target: Path) -> Path:
    """A Word file with heading styles for sections, List Bullet items and a table per run of cells."""
    import docx

    out = docx.Document()
    title = document.metadata.get("title")
    if isinstance(title, str):
        out.core_properties.title = title
    cells: list[str] = []

    def flush_cells() -> None:
        if cells:
            table = out.add_table(rows=len(cells), cols=1)
            for row, text in zip(table.rows, cells, strict=True):
                row.cells[0].text = text
            cells.clear()

    for section in document.all_sections():
        if section.heading is not None:
            flush_cells()
            out.add_heading(section.heading.text, level=min(section.level, 9))
        for block in section.blocks:
            if block.role is BlockRole.TABLE_CELL:
                cells.append(block.text)
                continue
            flush_cells()
            style = "List Bullet" if block.role is BlockRole.LIST_ITEM else None
            out.add_paragraph(block.text, style=style)
        flush_cells()
    out.save(str(target))
    return target


_LATIN1 = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "•": "-"})


def _latin1(text: str) -> str:
    """fpdf2's core fonts hold Latin-1 only; typographic quotes and dashes become their ASCII forms."""
    return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def write_pdf(document: Document, target: Path) -> Path:
    """A PDF laid out like a printed policy: numbered bold headings, a blank gap after each
    paragraph, bulleted items, text wrapped to the page width."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    counters = [0, 0, 0]
    for section in document.all_sections():
        if section.heading is not None:
            depth = min(section.level, 3)
            counters[depth - 1] += 1
            counters[depth:] = [0] * (3 - depth)
            label = ".".join(str(n) for n in counters[:depth]) + ("." if depth == 1 else "")
            pdf.set_font("Helvetica", "B", 14 if depth == 1 else 12)
            title = section.heading.text
            if not title[:1].isdigit():  # a heading numbered in the original keeps its own number
                title = f"{label} {title}"
            pdf.multi_cell(0, 8, _latin1(title), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        pdf.set_font("Helvetica", "", 11)
        for block in section.blocks:
            text = _latin1(block.text)
            if block.role is BlockRole.LIST_ITEM:
                text = "- " + text
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
    pdf.output(str(target))
    return target
