"""Tests for the plain-text parser: heading heuristics, blocks, directives and exact positions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policylint.document import Block, BlockRole, Directive, Document, Location
from policylint.parsers import parse
from policylint.parsers.text import MAX_LEVEL, parse_text


def headings(doc: Document) -> list[tuple[int, str]]:
    return [(sec.level, sec.title) for sec in doc.sections()]


def blocks(doc: Document) -> list[tuple[BlockRole, str]]:
    return [(block.role, block.text) for _, block in doc.blocks()]


def find_block(doc: Document, needle: str) -> Block:
    return next(block for _, block in doc.blocks() if needle in block.text)


def locate(doc: Document, block: Block, start: int, end: int) -> Location:
    return doc.location(*block.source_range(start, end))


# --- headings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("1. Returns", 1),
        ("1) Returns", 1),
        ("2) Payment Terms", 1),
        ("1.2 Scope", 2),
        ("1.2.3 Retention Periods", 3),
        ("3.6. Do we sell your data?", 2),
        ("1. INTRODUCTION", 1),
    ],
)
def test_numbered_heading(line: str, level: int) -> None:
    doc = parse_text(f"{line}\nWe explain this below.\n", "p.txt")
    assert headings(doc) == [(level, line)]
    assert blocks(doc) == [(BlockRole.PARAGRAPH, "We explain this below.")]


@pytest.mark.parametrize(
    ("line", "level"),
    [
        ("Section 3", 1),
        ("Section 3.1 - Title", 2),
        ("Article IV", 1),
        ("Article 4: Title", 1),
        ("Part II", 1),
        ("Chapter 2", 1),
        ("SECTION 5 – RETURNS", 1),
    ],
)
def test_keyword_heading(line: str, level: int) -> None:
    doc = parse_text(f"Intro text.\n\n{line}\nThe body of the section.\n", "p.txt")
    assert headings(doc) == [(level, line)]
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "Intro text."),
        (BlockRole.PARAGRAPH, "The body of the section."),
    ]


@pytest.mark.parametrize("line", ["A. Account Terms", "B) Payment", "IV. Limitation of Liability"])
def test_lettered_heading(line: str) -> None:
    doc = parse_text(f"{line}\nYou agree to these terms.\n", "p.txt")
    assert headings(doc) == [(1, line)]


def test_all_caps_heading_alone_or_over_mixed_case_text() -> None:
    doc = parse_text("PRIVACY POLICY\nLast updated: 1 May 2024\n\nCOOKIES\n\nWe use cookies.\n", "p.txt")
    assert headings(doc) == [(1, "PRIVACY POLICY"), (1, "COOKIES")]
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "Last updated: 1 May 2024"),
        (BlockRole.PARAGRAPH, "We use cookies."),
    ]


def test_underlined_headings_and_the_underline_is_not_prose() -> None:
    doc = parse_text("Privacy Notice\n==============\n\nYour data\n---------\nWe keep it safe.\n", "p.txt")
    assert headings(doc) == [(1, "Privacy Notice"), (2, "Your data")]
    assert blocks(doc) == [(BlockRole.PARAGRAPH, "We keep it safe.")]
    assert doc.root.children[0].children[0].title == "Your data"


def test_title_case_heading_levels() -> None:
    # Alone in the document a Title Case line is top level...
    doc = parse_text("Returns and Refunds\n\nYou may return items.\n", "p.txt")
    assert headings(doc) == [(1, "Returns and Refunds")]
    # ...and otherwise one below the last heading with an explicit level.
    source = "TERMS OF SALE\n\nHow to Contact Us\n\nEmail us.\n\n1.2 Scope\n\nReturns and Refunds\n\nText.\n"
    assert headings(parse_text(source, "p.txt")) == [
        (1, "TERMS OF SALE"),
        (2, "How to Contact Us"),
        (2, "1.2 Scope"),
        (3, "Returns and Refunds"),
    ]


def test_levels_build_a_tree_with_line_ranges() -> None:
    source = (
        "Preamble text.\n\n1. Introduction\nHello.\n1.1 Scope\nAll users.\n\n2. Data We Collect\nNames.\n"
    )
    doc = parse_text(source, "p.txt")
    assert [b.text for b in doc.root.blocks] == ["Preamble text."]
    intro, data = doc.root.children
    assert (intro.title, intro.line, intro.end_line) == ("1. Introduction", 3, 7)
    assert [c.title for c in intro.children] == ["1.1 Scope"]
    assert (intro.children[0].line, intro.children[0].body_text()) == (5, "All users.")
    assert (data.title, data.line, data.body_text()) == ("2. Data We Collect", 8, "Names.")
    assert intro.heading is not None and intro.heading.role is BlockRole.HEADING


def test_deep_numbering_is_capped() -> None:
    doc = parse_text("1.2.3.4.5.6.7.8 Deep Clause\nText.\n", "p.txt")
    assert headings(doc) == [(MAX_LEVEL, "1.2.3.4.5.6.7.8 Deep Clause")]


# --- things that are not headings --------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "Thank you for shopping with us.\n",
        "Contact us\n",
        "THE SERVICE IS PROVIDED AS IS WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, OR ELSE\n",
        "ALL SALES ARE FINAL.\n",
        "THE SERVICE IS PROVIDED AS IS\nWITHOUT WARRANTY OF ANY KIND\n",
        "Section 3 of this policy explains how we use data\n",
        "1.5 million customers trust us\n",
        "We keep records for\n12 Months after closure\n",
        "Acme Ltd.\nP. O. Box 12\nLondon\n",
        "Email: Help@Acme.Example\n",
    ],
)
def test_prose_is_not_a_heading(source: str) -> None:
    doc = parse_text(source, "p.txt")
    assert headings(doc) == []
    assert [role for role, _ in blocks(doc)] == [BlockRole.PARAGRAPH]


def test_numbered_long_sentence_is_a_list_item() -> None:
    line = "1. We collect your name, email address and phone number when you sign up for an account."
    doc = parse_text(line + "\n", "p.txt")
    assert headings(doc) == []
    assert blocks(doc) == [(BlockRole.LIST_ITEM, line[3:])]


def test_short_numbered_lines_after_a_colon_or_together_are_a_list() -> None:
    doc = parse_text("We collect:\n1. Name\n2. Email Address\n\n1. Introduction\n2. Your Rights\n", "p.txt")
    assert headings(doc) == []
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "We collect:"),
        (BlockRole.LIST_ITEM, "Name"),
        (BlockRole.LIST_ITEM, "Email Address"),
        (BlockRole.LIST_ITEM, "Introduction"),
        (BlockRole.LIST_ITEM, "Your Rights"),
    ]


def test_numbered_heading_may_interrupt_a_paragraph() -> None:
    doc = parse_text("1. Introduction\nWe are Acme.\n2. Your Rights\nYou may ask.\n", "p.txt")
    assert headings(doc) == [(1, "1. Introduction"), (1, "2. Your Rights")]


# --- lists ------------------------------------------------------------------------------------


def test_list_items_one_block_each_with_indented_continuations() -> None:
    source = (
        "We may share:\n"
        "- with payment providers\n"
        "  so that we can charge you\n"
        "* with couriers\n"
        "•with nobody else\n"
        "  - nested item\n"
        "(a) a sub-clause\n"
        "Back to prose.\n"
    )
    assert blocks(parse_text(source, "p.txt")) == [
        (BlockRole.PARAGRAPH, "We may share:"),
        (BlockRole.LIST_ITEM, "with payment providers so that we can charge you"),
        (BlockRole.LIST_ITEM, "with couriers"),
        (BlockRole.LIST_ITEM, "with nobody else"),
        (BlockRole.LIST_ITEM, "nested item"),
        (BlockRole.LIST_ITEM, "a sub-clause"),
        (BlockRole.PARAGRAPH, "Back to prose."),
    ]


def test_bullet_line_standing_alone_is_not_a_heading() -> None:
    doc = parse_text("- Returns and Refunds\n\n---\n", "p.txt")
    assert headings(doc) == []
    assert blocks(doc) == [(BlockRole.LIST_ITEM, "Returns and Refunds")]


# --- positions --------------------------------------------------------------------------------


@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_exact_positions_in_a_multi_line_paragraph(nl: str) -> None:
    source = nl.join(["Retention", "", "  We keep your data  ", "\tfor seven years ", "after closure.", ""])
    doc = parse_text(source, "p.txt")
    assert headings(doc) == [(1, "Retention")]
    block = find_block(doc, "seven")
    assert block.text == "We keep your data for seven years after closure."

    i = block.text.index("seven")
    assert locate(doc, block, i, i + 5) == Location(4, 6, 4, 11)
    s, e = block.source_range(i, i + 5)
    assert source[s:e] == "seven"
    # A range across a line break covers the trailing blanks, the break and the indentation.
    i = block.text.index("years after")
    s, e = block.source_range(i, i + len("years after"))
    assert source[s:e] == f"years {nl}after"
    assert doc.location(s, e) == Location(4, 12, 5, 6)
    # The first word of the paragraph skips the indentation.
    assert locate(doc, block, 0, 2) == Location(3, 3, 3, 5)


def test_every_word_maps_back_to_its_source_characters() -> None:
    source = (
        "ACME TERMS\r\n\r\n1. Orders\rWe accept   orders\n  online only.\r\n"
        "- Items ship\r\n    within 3 days\n\f2.1 Fees\nFees apply.\t\n"
    )
    doc = parse_text(source, "p.txt")
    checked = 0
    for block in [s.heading for s in doc.sections() if s.heading] + [b for _, b in doc.blocks()]:
        for word in re.finditer(r"\S+", block.text):
            s, e = block.source_range(word.start(), word.end())
            assert source[s:e] == word.group()
            checked += 1
    assert checked == 18


_WORDS = ("We", "KEEP", "data.", "Refunds", "1.", "1.2", "B)", "(a)", "-", "*", "•", "---", "===", "#")
_MORE = ("policylint-disable", "Section", "IV", ":", "é", " ", "\t", "\n", "\r\n", "\r", "\f")
_TOKENS = st.sampled_from(_WORDS) | st.sampled_from(_MORE)


@given(st.lists(_TOKENS, max_size=80).map("".join))
def test_any_text_maps_every_word_back(source: str) -> None:
    doc = parse_text(source, "p.txt")
    found = [s.heading for s in doc.sections() if s.heading] + [b for _, b in doc.blocks()]
    for block in found:
        assert block.text and block.text == block.text.strip()
        for word in re.finditer(r"\S+", block.text):
            s, e = block.source_range(word.start(), word.end())
            assert source[s:e] == word.group()


def test_heading_block_positions() -> None:
    doc = parse_text("Intro.\r\n\r\n   2) Payment Terms  \r\nPay on time.\r\n", "p.txt")
    sec = next(doc.sections())
    assert sec.line == 3 and sec.heading is not None
    assert doc.location(sec.heading.source_start, sec.heading.source_end) == Location(3, 4, 3, 20)


# --- directives, separators, edge cases --------------------------------------------------------


def test_directives_are_collected_and_are_not_prose() -> None:
    source = (
        "# policylint-disable jargon.legalese, dates.vague\n"
        "Returns and Refunds\n"
        "// policylint-disable-next-line dates.vague-time\n"
        "Refunds arrive soon.\n"
        "#policylint-enable\n"
        "# an ordinary comment line\n"
    )
    doc = parse_text(source, "p.txt")
    assert doc.directives == [
        Directive(line=1, action="disable", rules=("jargon.legalese", "dates.vague")),
        Directive(line=3, action="disable-next-line", rules=("dates.vague-time",)),
        Directive(line=5, action="enable", rules=()),
    ]
    assert headings(doc) == [(1, "Returns and Refunds")]
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "Refunds arrive soon."),
        (BlockRole.PARAGRAPH, "# an ordinary comment line"),
    ]


@pytest.mark.parametrize("source", ["", "\n\n", "  \r\n\t\r\n", "\f"])
def test_empty_file(source: str) -> None:
    doc = parse_text(source, "empty.txt")
    assert (doc.path, doc.format, doc.source) == ("empty.txt", "text", source)
    assert headings(doc) == [] and blocks(doc) == [] and doc.directives == []
    assert doc.word_count() == 0


def test_file_of_only_headings() -> None:
    source = "PRIVACY POLICY\n\n1. Introduction\n\n1.1 Scope\n\nSection 2 - Data\n\nHow to Contact Us"
    doc = parse_text(source, "p.txt")
    assert headings(doc) == [
        (1, "PRIVACY POLICY"),
        (1, "1. Introduction"),
        (2, "1.1 Scope"),
        (1, "Section 2 - Data"),
        (2, "How to Contact Us"),
    ]
    assert blocks(doc) == []
    assert doc.word_count() == 14


@pytest.mark.parametrize("rule", ["---", "***", "___", "======", "\f"])
def test_separators_are_not_prose(rule: str) -> None:
    doc = parse_text(f"First paragraph.\n\n{rule}\n\nSecond paragraph.\n", "p.txt")
    assert headings(doc) == []
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "First paragraph."),
        (BlockRole.PARAGRAPH, "Second paragraph."),
    ]


def test_rule_under_a_paragraph_separates_and_form_feed_splits() -> None:
    doc = parse_text("We keep data\nfor a year\n---\nPage one.\n\fPage two.\n***\n", "p.txt")
    assert headings(doc) == []
    assert blocks(doc) == [
        (BlockRole.PARAGRAPH, "We keep data for a year"),
        (BlockRole.PARAGRAPH, "Page one."),
        (BlockRole.PARAGRAPH, "Page two."),
    ]


def test_dispatch_through_parsers_parse() -> None:
    doc = parse("1. Returns\nWithin 30 days.\n", "text", "r.txt")
    assert doc.format == "text" and headings(doc) == [(1, "1. Returns")]


# --- performance --------------------------------------------------------------------------------


def _big_policy(target: int) -> str:
    para = (
        "We collect your name, email address and phone number when you create an account,\n"
        "and we keep this information for as long as your account is open so that we can\n"
        "provide the service you asked for and meet our legal obligations.\n"
    )
    parts: list[str] = []
    size = n = 0
    while size < target:
        n += 1
        chunk = (
            f"{n % 900 + 1}. Section Title\n{para}\n{n % 900 + 1}.1 Details\n{para}\n"
            f"- A bullet item about refunds\n  continued here\n- Another item\n\nRETURNS\n\n{para}\n"
        )
        parts.append(chunk)
        size += len(chunk)
    return "".join(parts)


@pytest.mark.slow
def test_five_megabytes_parse_completely() -> None:
    """Robustness, not speed (timings live in bench/): a large file parses into every section."""
    source = _big_policy(5_000_000)
    doc = parse_text(source, "big.txt")
    assert sum(1 for _ in doc.sections()) > 15_000
    last = list(doc.sections())[-1]
    assert last.end_line == doc.lines.line_count
