from __future__ import annotations

from policylint.document import BlockRole
from policylint.parsers import parse


def _find(doc, word):  # type: ignore[no-untyped-def]
    for _sec, block in doc.blocks():
        i = block.text.find(word)
        if i >= 0:
            s, e = block.source_range(i, i + len(word))
            return doc.source[s:e], doc.location(s, e)
    raise AssertionError(f"{word!r} not found")


def test_atx_and_setext_headings_nest_by_level() -> None:
    doc = parse("# Title\n\nIntro.\n\nReturns\n-------\n\nText.\n\n### Deep\n\nMore.\n", "markdown")
    titles = [(s.title, s.level) for s in doc.sections()]
    assert titles == [("Title", 1), ("Returns", 2), ("Deep", 3)]
    returns = doc.root.children[0].children[0]
    assert returns.children[0].title == "Deep"
    assert returns.line == 5


def test_front_matter_is_metadata_not_prose_and_lines_are_kept() -> None:
    doc = parse("---\ntitle: Privacy\nupdated: 2026-01-02\n---\n# Privacy\n\nWe care.\n", "markdown")
    assert doc.metadata == {"title": "Privacy", "updated": "2026-01-02"}
    assert "title" not in doc.text()
    assert doc.root.children[0].line == 5


def test_code_blocks_and_comments_are_not_prose() -> None:
    source = "# T\n\n```\nshall herein\n```\n\n    indented code\n\n<!-- hidden note -->\n\nVisible `inline` text.\n"
    doc = parse(source, "markdown")
    text = doc.text()
    assert "shall" not in text and "indented" not in text and "hidden" not in text
    block = next(b for _, b in doc.blocks())
    start = block.text.index("inline")
    assert block.is_protected(start, start + 6)


def test_positions_point_into_the_original_markdown() -> None:
    source = (
        "# T\n\nWe reply **promptly** to [your email](https://x.example).\r\nSecond line &amp; more words.\n"
    )
    doc = parse(source, "markdown")
    assert _find(doc, "promptly") == ("promptly", _find(doc, "promptly")[1])
    text, loc = _find(doc, "promptly")
    assert text == "promptly" and (loc.line, loc.column, loc.end_column) == (3, 12, 20)
    text, loc = _find(doc, "more")
    assert text == "more" and (loc.line, loc.column) == (4, 19)
    text, loc = _find(doc, "your email")
    assert text == "your email"


def test_lists_tables_and_quotes_get_roles() -> None:
    source = "# T\n\n- one item here\n- two\n\n| a | b |\n|---|---|\n| c | d |\n\n> quoted law\n"
    doc = parse(source, "markdown")
    roles = [(b.role, b.text) for _, b in doc.blocks()]
    assert (BlockRole.LIST_ITEM, "one item here") in roles
    assert (BlockRole.TABLE_CELL, "d") in roles
    assert (BlockRole.QUOTE, "quoted law") in roles


def test_kramdown_attribute_lists_are_removed() -> None:
    source = (
        '# Notice\n\nEffective May 4, 2026\n{: datetime="2026-05-04" }\n\n## Cookies {: #cookies }\n\nText.\n'
    )
    doc = parse(source, "markdown")
    assert [s.title for s in doc.sections()] == ["Notice", "Cookies"]
    assert next(b for _, b in doc.blocks()).text == "Effective May 4, 2026"


def test_suppression_comments_become_directives() -> None:
    source = "# T\n\n<!-- policylint-disable-next-line jargon.legalese -->\nWe shall reply.\n\n<!-- policylint-disable -->\n"
    doc = parse(source, "markdown")
    assert [(d.line, d.action, d.rules) for d in doc.directives] == [
        (3, "disable-next-line", ("jargon.legalese",)),
        (6, "disable", ()),
    ]


def test_empty_and_heading_only_documents() -> None:
    assert list(parse("", "markdown").sections()) == []
    doc = parse("# A\n## B\n", "markdown")
    assert [s.title for s in doc.sections()] == ["A", "B"]
    assert list(doc.blocks()) == []
