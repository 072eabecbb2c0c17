"""Word (.docx), OpenDocument (.odt) and PDF policies, through the real CLI and real files.

The .docx and .pdf fixtures are written here from the bundled examples by python-docx and
fpdf2, so what is compared is the same policy in two formats.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from policylint import load_document
from policylint.cli import main

sys.path.insert(0, str(Path(__file__).parent))
from office_writers import load, write_docx, write_pdf

EXAMPLES = sorted(
    p for p in Path(__file__).parent.parent.joinpath("examples").glob("*/*.*") if p.suffix != ".py"
)
#: Rule ids a PDF of an example gives beyond (+) or without (-) its original, and why (docs/office.md).
PDF_DIFFERENCES = {
    # "Effective 03/04/2024" stands alone on its line, so the text parser takes it for a short
    # Title Case heading: its date is no longer prose, and the heading has no text under it.
    "service-policy.md": {"+sections.empty-section", "-dates.ambiguous-numeric"},
}


def run(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    code = main(["check", *args, "--format", "json", "--no-cache", "--today", "2026-12-06"], out=out)
    return code, json.loads(out.getvalue())


def rule_ids(report: dict[str, Any]) -> set[str]:
    return {f["rule"] for f in report["findings"]}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_as_docx_gives_the_rule_ids_of_the_original(example: Path, tmp_path: Path) -> None:
    docx_file = write_docx(load(example), tmp_path / f"{example.stem}.docx")
    _, original = run(str(example))
    _, converted = run(str(docx_file))
    assert converted["files"][0]["format"] == "docx"
    assert rule_ids(converted) == rule_ids(original)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_an_example_as_pdf_gives_the_rule_ids_of_the_original(example: Path, tmp_path: Path) -> None:
    pdf_file = write_pdf(load(example), tmp_path / f"{example.stem}.pdf")
    _, original = run(str(example))
    _, converted = run(str(pdf_file))
    assert converted["files"][0]["format"] == "pdf"
    expected = set(rule_ids(original))
    for difference in PDF_DIFFERENCES.get(example.name, set()):
        (expected.add if difference[0] == "+" else expected.discard)(difference[1:])
    assert rule_ids(converted) == expected
    assert all(f["page"] == 1 for f in converted["findings"])  # every example fits on one page


def test_a_docx_finding_is_on_the_line_of_its_paragraph_number(tmp_path: Path) -> None:
    import docx

    out = docx.Document()
    out.add_heading("Customer service policy", level=1)
    out.add_paragraph("")  # an empty paragraph still counts
    out.add_paragraph("We answer every question.")
    out.add_paragraph("Last updated 03/04/2024.")
    out.save(str(tmp_path / "policy.docx"))
    _, report = run(str(tmp_path / "policy.docx"))
    [finding] = [f for f in report["findings"] if f["rule"] == "dates.ambiguous-numeric"]
    assert (finding["line"], finding["column"], finding["page"]) == (4, 14, None)


def test_docx_headings_come_from_outline_levels_and_styles_lists_and_tables_are_content(
    tmp_path: Path,
) -> None:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    out = docx.Document()
    out.add_heading("Privatlivspolitik", level=1)
    # A style named in another language, marked a heading only by its outline level.
    style = out.styles.add_style("Rubrik To", WD_STYLE_TYPE.PARAGRAPH)
    outline = OxmlElement("w:outlineLvl")
    outline.set(qn("w:val"), "1")
    style.element.get_or_add_pPr().append(outline)
    out.add_paragraph("Kontakt", style="Rubrik To")
    out.add_paragraph("Skriv til os:")
    out.add_paragraph("privacy@shop.example", style="List Bullet")
    table = out.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Telefon"
    table.rows[0].cells[1].text = "+45 12 34 56 78"
    out.save(str(tmp_path / "p.docx"))
    document = load_document(tmp_path / "p.docx")
    sections = [(s.title, s.level) for s in document.sections()]
    assert sections == [("Privatlivspolitik", 1), ("Kontakt", 2)]
    roles = [(b.role.value, b.text) for _, b in document.blocks()]
    assert roles == [
        ("paragraph", "Skriv til os:"),
        ("list_item", "privacy@shop.example"),
        ("table_cell", "Telefon"),
        ("table_cell", "+45 12 34 56 78"),
    ]


def test_odt_headings_and_paragraphs(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.text import H, P

    out = OpenDocumentText()
    out.text.addElement(H(outlinelevel=1, text="Returns policy"))
    out.text.addElement(H(outlinelevel=2, text="Refunds"))
    out.text.addElement(P(text="We refund you within 14 days."))
    out.save(str(tmp_path / "r.odt"))
    document = load_document(tmp_path / "r.odt")
    assert [(s.title, s.level, s.line) for s in document.sections()] == [
        ("Returns policy", 1, 1),
        ("Refunds", 2, 2),
    ]
    assert document.format == "odt"


def test_a_pdf_finding_names_its_page(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.multi_cell(0, 6, "1. Returns\n\nYou can return any item within 30 days.")
    pdf.add_page()
    pdf.multi_cell(0, 6, "2. Changes\n\nThis policy was last updated on 03/04/2024.")
    pdf.output(str(tmp_path / "two-pages.pdf"))
    _, report = run(str(tmp_path / "two-pages.pdf"))
    [finding] = [f for f in report["findings"] if f["rule"] == "dates.ambiguous-numeric"]
    assert finding["page"] == 2
    assert [s["title"] for s in report["files"][0]["sections"]] == ["1. Returns", "2. Changes"]


def test_damaged_and_encrypted_files_are_clear_errors_and_the_rest_is_checked(tmp_path: Path) -> None:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "1. Returns\n\nYou can return any item within 30 days.")
    pdf.output(str(tmp_path / "plain.pdf"))
    writer = PdfWriter(clone_from=PdfReader(tmp_path / "plain.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    writer.write(tmp_path / "locked.pdf")
    good = tmp_path / "returns.md"
    good.write_text("# Returns\n\nLast updated 03/04/2024.\n", encoding="utf-8")
    _, report = run(*(str(tmp_path / n) for n in ("broken.docx", "broken.pdf", "locked.pdf", "returns.md")))
    by_file = {f["path"]: f for f in report["findings"] if f["rule"].startswith("io.")}
    broken_docx = by_file[str(tmp_path / "broken.docx")]
    assert broken_docx["rule"] == "io.parse-error"
    assert "broken.docx is not a readable Word document" in broken_docx["message"]
    assert by_file[str(tmp_path / "broken.pdf")]["rule"] == "io.parse-error"
    locked = by_file[str(tmp_path / "locked.pdf")]
    assert locked["rule"] == "io.unreadable"
    assert "locked.pdf is an encrypted PDF" in locked["message"]
    assert "dates.ambiguous-numeric" in {f["rule"] for f in report["findings"] if f["path"] == str(good)}


@pytest.fixture
def without_office_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the extra were not installed: ``import docx`` and ``import pypdf`` fail."""
    for name in ("docx", "pypdf", "odf"):
        monkeypatch.setitem(sys.modules, name, None)


def test_without_the_extra_a_named_file_says_which_extra_and_folders_skip_office_files(
    tmp_path: Path, without_office_extra: None
) -> None:
    (tmp_path / "policy.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "policy.md").write_text("# Returns\n\nLast updated 03/04/2024.\n", encoding="utf-8")
    _, named = run(str(tmp_path / "policy.pdf"), str(tmp_path / "policy.md"))
    [missing] = [f for f in named["findings"] if f["rule"] == "io.unreadable"]
    assert missing["message"] == (
        f"{tmp_path / 'policy.pdf'} is a PDF file; reading it needs the office extra: "
        "pip install 'policylint[office]'"
    )
    assert "dates.ambiguous-numeric" in rule_ids(named)
    _, walked = run(str(tmp_path))
    assert [f["path"] for f in walked["files"]] == [str(tmp_path / "policy.md")]


def test_with_the_extra_folders_pick_up_office_files(tmp_path: Path) -> None:
    write_docx(load(EXAMPLES[0]), tmp_path / "policy.docx")
    _, walked = run(str(tmp_path))
    assert [f["format"] for f in walked["files"]] == ["docx"]


def test_a_missing_extra_is_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Installing the extra after a run must not replay the cached "needs the extra" finding."""
    pdf_file = write_pdf(load(EXAMPLES[0]), tmp_path / "policy.pdf")
    cached = ["check", str(pdf_file), "--format", "json", "--cache-dir", str(tmp_path / "cache")]
    with monkeypatch.context() as blocked:
        for name in ("docx", "pypdf", "odf"):
            blocked.setitem(sys.modules, name, None)
        out = io.StringIO()
        main(cached, out=out)
        assert rule_ids(json.loads(out.getvalue())) == {"io.unreadable"}
    # --quiet: another command line, so the whole-run replay (keyed by it and by the installed
    # packages, which a real install changes) stays out, and only the per-file cache is asked.
    out = io.StringIO()
    main([*cached, "--quiet"], out=out)
    assert json.loads(out.getvalue())["files"][0]["format"] == "pdf"
    assert "io.unreadable" not in rule_ids(json.loads(out.getvalue()))
