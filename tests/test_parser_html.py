"""The HTML parser: what a reader sees becomes prose, and every character maps back to the file."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policylint.document import Block, BlockRole, Document, Location
from policylint.parsers import parse
from policylint.parsers.html import parse_html


def _doc(source: str) -> Document:
    return parse_html(source, "policy.html")


def _texts(doc: Document) -> list[str]:
    return [b.text for _, b in doc.blocks()]


def _roles(doc: Document) -> list[tuple[BlockRole, str]]:
    return [(b.role, b.text) for _, b in doc.blocks()]


def _find(doc: Document, word: str, nth: int = 0) -> tuple[Block, int, int]:
    """The block holding the ``nth`` occurrence of ``word`` (headings included) and its text range."""
    blocks = [s.heading for s in doc.sections() if s.heading is not None] + [b for _, b in doc.blocks()]
    hits = [(b, i) for b in blocks for i in range(len(b.text)) if b.text.startswith(word, i)]
    block, i = hits[nth]
    return block, i, i + len(word)


def _source_of(doc: Document, word: str, nth: int = 0) -> tuple[str, Location]:
    block, i, j = _find(doc, word, nth)
    s, e = block.source_range(i, j)
    return doc.source[s:e], doc.location(s, e)


def _assert_maps_exactly(doc: Document) -> None:
    """Every text character maps to source that reads as it: itself, an entity, or whitespace/a tag."""
    blocks = [s.heading for s in doc.sections() if s.heading is not None] + [b for _, b in doc.blocks()]
    for block in blocks:
        for i, char in enumerate(block.text):
            s, e = block.source_range(i, i + 1)
            raw = doc.source[s:e]
            if char == " ":  # whitespace, <br>, &nbsp; or a run of them
                assert raw and not html.unescape(re.sub(r"<[^>]*>", "", raw)).strip(), (block.text, i, raw)
            else:
                assert raw == char or char in html.unescape(raw), (block.text, i, raw)


# -- prose and positions ---------------------------------------------------------------------


def test_inline_markup_is_text_and_ranges_point_at_the_original_characters() -> None:
    source = "<html><body>\n<p>We will reply <b>promptly</b>.</p>\n</body></html>"
    doc = parse(source, "html")
    assert doc.format == "html" and doc.source == source
    assert _texts(doc) == ["We will reply promptly."]
    raw, loc = _source_of(doc, "promptly")
    assert raw == "promptly"
    assert (loc.line, loc.column, loc.end_line, loc.end_column) == (2, 21, 2, 29)
    block, i, j = _find(doc, "reply promptly.")
    assert doc.source[slice(*block.source_range(i, j))] == "reply <b>promptly</b>."
    _assert_maps_exactly(doc)


def test_whole_block_range_covers_first_to_last_character() -> None:
    doc = _doc("<div>\n  <p>\n    Hello   <i>there</i>\n  </p>\n</div>")
    block = next(b for _, b in doc.blocks())
    assert block.text == "Hello there"
    assert doc.source[block.source_start : block.source_end] == "Hello   <i>there"
    assert doc.location(block.source_start, block.source_end) == Location(3, 5, 3, 21)


def test_entities_decode_and_map_as_a_unit() -> None:
    doc = _doc("<p>Terms &amp; conditions&#8217; scope, 30&nbsp;days, AT&T, &#x41;&lt;B</p>")
    (text,) = _texts(doc)
    assert text == "Terms & conditions’ scope, 30 days, AT&T, A<B"
    assert _source_of(doc, "&")[0] == "&amp;"
    raw, loc = _source_of(doc, "’")
    assert raw == "&#8217;" and (loc.column, loc.end_column) == (26, 33)
    assert _source_of(doc, "30 days")[0] == "30&nbsp;days"
    assert _source_of(doc, "AT&T")[0] == "AT&T"
    assert _source_of(doc, "A<B")[0] == "&#x41;&lt;B"
    _assert_maps_exactly(doc)


def test_entities_without_semicolon_and_broken_references() -> None:
    doc = _doc("<p>a &amp b &#foo; c</p><p>d</p><p>e &#bar; f</p><p>g</p>x &amp")
    assert _texts(doc) == ["a & b &#foo; c", "d", "e &#bar; f", "g", "x &"]
    assert _source_of(doc, "x &")[0] == "x &amp"
    _assert_maps_exactly(doc)


def test_word_and_cdata_marked_sections_are_not_text_and_do_not_crash() -> None:
    doc = _doc("<p>a<![if !supportLists]>b<![endif]>c <![CDATA[hidden]]>d <![foo>e <![ x>f</p><p>g<![")
    assert _texts(doc) == ["abc d e f", "g<!["]


def test_multi_line_paragraph_folds_line_breaks_into_spaces() -> None:
    source = "<p>We keep your data\n    for as long as\tneeded.</p>\n"
    doc = _doc(source)
    assert _texts(doc) == ["We keep your data for as long as needed."]
    raw, loc = _source_of(doc, "for as")
    assert raw == "for as" and (loc.line, loc.column, loc.end_column) == (2, 5, 11)
    raw, loc = _source_of(doc, "data for")
    assert raw == "data\n    for" and (loc.line, loc.column, loc.end_line, loc.end_column) == (1, 17, 2, 8)
    _assert_maps_exactly(doc)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_positions_with_any_line_ending(newline: str) -> None:
    source = newline.join(
        ["<html>", "<body>", "<h1>Returns</h1>", "<p>Send it back", "  within <em>30 days</em>.</p>", ""]
    )
    doc = _doc(source)
    assert [s.title for s in doc.sections()] == ["Returns"]
    assert doc.root.children[0].line == 3
    assert _texts(doc) == ["Send it back within 30 days."]
    raw, loc = _source_of(doc, "30 days")
    assert raw == "30 days" and (loc.line, loc.column, loc.end_line, loc.end_column) == (5, 14, 5, 21)
    raw, loc = _source_of(doc, "Returns")
    assert raw == "Returns" and (loc.line, loc.column) == (3, 5)
    _assert_maps_exactly(doc)


def test_br_is_a_space_and_whitespace_between_inline_elements_collapses() -> None:
    doc = _doc("<p>Line one<br>line two<br/>  <b> three </b> <i>four</i></p>")
    assert _texts(doc) == ["Line one line two three four"]
    assert _source_of(doc, "one line")[0] == "one<br>line"
    _assert_maps_exactly(doc)


def test_inline_code_and_urls_are_protected() -> None:
    doc = _doc("<p>Run <code>rm -rf</code> or see https://example.com/terms or mail privacy@example.com.</p>")
    block, i, j = _find(doc, "rm -rf")
    assert block.is_protected(i, j)
    assert block.is_protected(*_find(doc, "https://example.com/terms")[1:])
    assert block.is_protected(*_find(doc, "privacy@example.com")[1:])
    assert not block.is_protected(*_find(doc, "Run")[1:])


# -- headings and sections -----------------------------------------------------------------


def test_heading_levels_nest_and_record_their_lines() -> None:
    source = (
        "<p>Preamble.</p>\n<h1>Privacy</h1>\n<p>Intro.</p>\n<h3>Deep</h3>\n<p>Deeper.</p>\n"
        "<h2>Your <em>rights</em> &amp; choices</h2>\n<p>Text.</p>\n<h6>Six</h6>\n<h1>Other</h1>\n"
    )
    doc = _doc(source)
    assert [(s.title, s.level, s.line) for s in doc.sections()] == [
        ("Privacy", 1, 2),
        ("Deep", 3, 4),
        ("Your rights & choices", 2, 6),
        ("Six", 6, 8),
        ("Other", 1, 9),
    ]
    privacy = doc.root.children[0]
    assert [c.title for c in privacy.children] == ["Deep", "Your rights & choices"]
    assert [b.text for b in doc.root.blocks] == ["Preamble."]
    assert privacy.body_text() == "Intro."
    assert privacy.heading is not None and privacy.heading.role is BlockRole.HEADING
    assert _source_of(doc, "rights & choices")[0] == "rights</em> &amp; choices"
    assert privacy.end_line == 8
    _assert_maps_exactly(doc)


def test_aria_headings_use_aria_level_with_a_default_of_two() -> None:
    doc = _doc(
        '<div role="heading" aria-level="4">Four</div><p>a</p>'
        '<span role="heading">Two</span><p>b</p>'
        '<div role="heading" aria-level="nine">Bad level</div><p>c</p>'
    )
    assert [(s.title, s.level) for s in doc.sections()] == [("Four", 4), ("Two", 2), ("Bad level", 2)]
    assert [s.body_text() for s in doc.sections()] == ["a", "b", "c"]


def test_unclosed_and_mismatched_headings() -> None:
    doc = _doc("<h2>First<h3>Second</h2><p>body</p><h4></h4><p>still second</p>")
    assert [(s.title, s.level) for s in doc.sections()] == [("First", 2), ("Second", 3)]
    assert doc.root.children[0].children[0].body_text() == "body\n\nstill second"


def test_blocks_inside_a_heading_become_spaces() -> None:
    doc = _doc("<h1><div>Cookie</div><div>Policy</div></h1><p>x</p>")
    assert [s.title for s in doc.sections()] == ["Cookie Policy"]
    heading = doc.root.children[0].heading
    assert heading is not None and heading.text == "Cookie Policy"


def test_document_with_only_headings() -> None:
    doc = _doc("<h1>Title</h1>\n<h2>A</h2>\n<h2>B</h2>\n")
    assert [(s.title, s.level) for s in doc.sections()] == [("Title", 1), ("A", 2), ("B", 2)]
    assert list(doc.blocks()) == []
    assert doc.text() == "Title\n\nA\n\nB"


@pytest.mark.parametrize(
    "source",
    ["", "   \n\t", "<html><head></head><body></body></html>", "<!-- c -->", "<p>&nbsp;</p><p> <br> </p>"],
)
def test_empty_documents(source: str) -> None:
    doc = _doc(source)
    assert list(doc.sections()) == [] and list(doc.blocks()) == []
    assert doc.path == "policy.html" and doc.language is None and doc.directives == []


# -- structure: nesting, lists, tables, quotes -----------------------------------------------


def test_nested_blocks_split_text_at_every_block_boundary() -> None:
    doc = _doc("<div>Lead <div><div><p>Inner paragraph.</p>Tail of div</div> after</div>end</div>")
    assert _texts(doc) == ["Lead", "Inner paragraph.", "Tail of div", "after", "end"]
    _assert_maps_exactly(doc)


def test_lists_and_nested_lists_are_list_items() -> None:
    doc = _doc("<ul><li>One<li>Two <ul><li>Two.a</li><li><p>Two.b</p></li></ul> after<li>Three</ul>")
    assert _roles(doc) == [
        (BlockRole.LIST_ITEM, "One"),
        (BlockRole.LIST_ITEM, "Two"),
        (BlockRole.LIST_ITEM, "Two.a"),
        (BlockRole.LIST_ITEM, "Two.b"),
        (BlockRole.LIST_ITEM, "after"),
        (BlockRole.LIST_ITEM, "Three"),
    ]


def test_tables_definition_lists_quotes_and_captions() -> None:
    doc = _doc(
        "<table><caption>Retention</caption><tr><th>Data<th>Period<tr><td>Orders<td>6 years</table>"
        "<dl><dt>Controller<dd>Shop Ltd<dt>DPO</dl>"
        "<blockquote><p>Quoted law.</p><ul><li>quoted item</ul></blockquote>"
        "<figure><img src=x alt='not text'><figcaption>Chart</figcaption></figure><address>1 Road</address>"
    )
    assert _roles(doc) == [
        (BlockRole.PARAGRAPH, "Retention"),
        (BlockRole.TABLE_CELL, "Data"),
        (BlockRole.TABLE_CELL, "Period"),
        (BlockRole.TABLE_CELL, "Orders"),
        (BlockRole.TABLE_CELL, "6 years"),
        (BlockRole.PARAGRAPH, "Controller"),
        (BlockRole.PARAGRAPH, "Shop Ltd"),
        (BlockRole.PARAGRAPH, "DPO"),
        (BlockRole.QUOTE, "Quoted law."),
        (BlockRole.LIST_ITEM, "quoted item"),
        (BlockRole.PARAGRAPH, "Chart"),
        (BlockRole.PARAGRAPH, "1 Road"),
    ]


def test_unclosed_paragraphs_and_items_close_like_a_browser() -> None:
    doc = _doc("<p>one<p>two<div>three</div>four</p><ol><li>a<li>b</ol><p>five")
    assert _texts(doc) == ["one", "two", "three", "four", "a", "b", "five"]


def test_mismatched_and_stray_end_tags_do_not_crash() -> None:
    doc = _doc("</div></span><p>a</b></li>b</p></p>c</td></table><div><span>d</div>e</span></html>f</body>")
    assert _texts(doc) == ["ab", "c", "d", "ef"]


def test_stray_end_tags_inside_a_table_cell_do_not_close_outside_it() -> None:
    doc = _doc("<div><table><tr><td>cell</div> more</td><td>next</td></tr></table>after</div>")
    assert _roles(doc) == [
        (BlockRole.TABLE_CELL, "cell more"),
        (BlockRole.TABLE_CELL, "next"),
        (BlockRole.PARAGRAPH, "after"),
    ]


def test_ten_thousand_nested_divs_need_no_recursion() -> None:
    depth = 10_000
    doc = _doc("<div>" * depth + "<p>deep</p>" + "</div>" * depth + "<p>after</p>")
    assert _texts(doc) == ["deep", "after"]
    doc = _doc("<ul><li>" * depth + "leaf")
    assert _roles(doc) == [(BlockRole.LIST_ITEM, "leaf")]
    doc = _doc("<b><table>" + "<div>" * depth + "x" + "</b>" * depth)
    assert _texts(doc) == ["x"]


# -- what is not prose -------------------------------------------------------------------------


def test_skipped_elements_contribute_no_text_and_no_headings() -> None:
    doc = _doc(
        "<head><title>Ignored as prose</title><style>p { color: red }</style>"
        "<script>var h = '<h1>no</h1>';</script></head><body>"
        "<header><h1>Site name</h1></header><nav><ul><li>Home</ul></nav>"
        "<h1>Privacy</h1><p>Kept <script>evil()</script>text.</p>"
        "<noscript><p>Enable JS</p></noscript><template><p>tpl</p></template>"
        "<svg><title>icon</title><text>svg text</text></svg><math><mi>x</mi></math>"
        "<pre>code block</pre><iframe src=x></iframe><object>obj</object>"
        '<p hidden>hidden</p><div aria-hidden="true"><h2>Hidden heading</h2></div>'
        "<p aria-hidden=false>shown</p><footer>© Shop</footer></body>"
    )
    assert [s.title for s in doc.sections()] == ["Privacy"]
    assert _texts(doc) == ["Kept text.", "shown"]
    assert doc.metadata == {"title": "Ignored as prose"}


def test_noscript_content_cannot_close_the_paragraph_around_it() -> None:
    doc = _doc("<p>before <noscript><p>js</p></noscript>after</p>")
    assert _texts(doc) == ["before after"]


def test_missing_end_of_head_is_implied_by_body_content() -> None:
    doc = _doc("<html><head><title>T</title><meta charset=utf-8><p>Hello</p>")
    assert _texts(doc) == ["Hello"]
    doc = _doc("<head><title>T</title>Loose text")
    assert _texts(doc) == ["Loose text"]


def test_title_and_language_metadata() -> None:
    doc = _doc(
        '<html lang="en-US"><head><title> Privacy\n &amp; Cookies </title></head><body lang=de>x</body>'
    )
    assert doc.metadata == {"title": "Privacy & Cookies"}
    assert doc.language == "en"
    assert _doc("<html><body lang='fr_CA'><p>x</p></body></html>").language == "fr"
    assert _doc("<html lang=''><body lang='DE'><p>x</p></body></html>").language == "de"
    assert _doc("<p>x</p>").language is None
    assert _doc("<p>x</p>").metadata == {}


def test_lang_attributes_below_html_give_blocks_their_language() -> None:
    doc = _doc(
        '<html lang="en"><body lang="en"><h1>Policy</h1><p>English.</p>'
        '<section lang="da-DK"><h2>Dansk</h2><p>Tekst <span lang="en">mixed</span> her.</p>'
        '<div lang=""><p>Unknown.</p></div><ul><li>Punkt</li></ul></section>'
        '<h2 lang="de">Deutsch</h2><p>Nach dem Abschnitt.</p></body></html>'
    )
    blocks = [s.heading for s in doc.sections() if s.heading is not None] + [b for _, b in doc.blocks()]
    # <html> and <body> declare the document's language (Document.language), not a block's.
    assert {b.text: b.language for b in blocks} == {
        "Policy": None,
        "English.": None,
        "Dansk": "da",
        "Tekst mixed her.": "da",  # a block's language is the one around its first word
        "Unknown.": None,  # lang="" means unknown, also inside a Danish section
        "Punkt": "da",
        "Deutsch": "de",
        "Nach dem Abschnitt.": None,  # only the heading said German
    }


# -- suppression comments -----------------------------------------------------------------------


def test_comments_become_directives_on_the_right_lines() -> None:
    source = (
        "<p>one</p>\n"  # 1
        "<!-- policylint-disable jargon.legalese, dates -->\n"  # 2
        "<p>two</p>\n"  # 3
        "<!-- policylint-enable -->\n"  # 4
        "<!--\n  policylint-disable-next-line dates.vague-time\n-->\n"  # 5-7
        "<p>three</p>\n"  # 8
        "<!-- an ordinary comment -->\n"  # 9
        "<!-- policylint-disable-next-line -->"  # 10
    )
    doc = _doc(source)
    got = [(d.line, d.action, d.rules) for d in doc.directives]
    assert got == [
        (2, "disable", ("jargon.legalese", "dates")),
        (4, "enable", ()),
        (7, "disable-next-line", ("dates.vague-time",)),
        (10, "disable-next-line", ()),
    ]
    assert "policylint" not in doc.text() and "ordinary" not in doc.text()


def test_directive_lines_with_crlf() -> None:
    doc = _doc("<p>a</p>\r\n<!-- policylint-disable-next-line x -->\r\n<p>b</p>\r\n")
    assert [(d.line, d.action) for d in doc.directives] == [(2, "disable-next-line")]


_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<td>",
        "<tr>",
        "<table>",
        "</table>",
        "<h2>",
        "</h2>",
        "<h1 role=heading aria-level=3>",
        "</h1>",
        "<b>",
        "</b>",
        "<br>",
        "<br/>",
        "<code>",
        "</code>",
        "<script>x<p>y</p>",
        "</script>",
        "<nav>",
        "</nav>",
        "<p hidden>",
        "<!-- policylint-disable a -->",
        "<!--\n-->",
        "&amp;",
        "&nbsp;",
        "&#8217;",
        "&#x27;",
        "&#",
        "&foo;",
        "&amp",
        "AT&T",
        "<",
        ">",
        " ",
        "  ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "\xa0",
        "word",
        "Wörd",
        "https://x.example/a",
        "<a title='x>y'>",
        "</a>",
        "<hr>",
        "<dd>",
        "<pre>",
        "<svg>",
        "</svg>",
        "<!DOCTYPE html>",
        "<![CDATA[z]]>",
        "<![if x]>",
        "<![",
        "&#1;",
        "&ampamp",
        "&NotEqualTilde;",
        "\u3000",
        "<title>",
        "</title>",
        "<head>",
        "<body lang=en>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_any_tag_soup_parses_and_every_character_maps_back(pieces: list[str]) -> None:
    doc = _doc("".join(pieces))
    _assert_maps_exactly(doc)
    for _, block in doc.blocks():
        assert block.text and block.text == block.text.strip() and "  " not in block.text
        for a, b in block.protected:
            assert 0 <= a < b <= len(block.text)


# -- scale ----------------------------------------------------------------------------------------


@pytest.mark.slow
def test_two_megabyte_single_line_file_parses_quickly() -> None:
    paragraph = (
        "<p>We collect the information you give us when you create an account, place an order or "
        "contact <a href='/help'>customer support</a>. We use it to deliver your order &amp; answer "
        "your questions, and keep it <strong>as long as your account is open</strong> plus "
        "30&nbsp;days.</p>"
    )
    sections = "".join(
        f"<h2>Section {i}</h2>" + paragraph * 4 for i in range(2_000_000 // (len(paragraph) * 4))
    )
    source = "<html lang=en><body><h1>Privacy</h1>" + sections + "</body></html>"
    assert len(source) > 1_900_000 and "\n" not in source
    doc = _doc(source)
    blocks = [b for _, b in doc.blocks()]
    assert len(blocks) == 4 * (len(doc.root.children[0].children))
    last = blocks[-1]
    i = last.text.index("30 days")
    s, e = last.source_range(i, i + 7)
    assert source[s:e] == "30&nbsp;days"
    assert doc.location(s, e).line == 1
