from __future__ import annotations

import pytest

from policylint.document import LineIndex, TextBuilder


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_index_handles_every_line_ending(newline: str) -> None:
    source = newline.join(["first line", "second", "", "fourth"])
    index = LineIndex(source)
    assert index.line_count == 4
    offset = source.index("second")
    assert index.position(offset) == (2, 1)
    assert index.position(source.index("fourth") + 2) == (4, 3)
    assert index.line_end(2, source) == offset + len("second")


def test_source_map_maps_verbatim_and_replaced_text() -> None:
    source = "A &amp; B\nnext"
    builder = TextBuilder()
    builder.verbatim("A ", 0)
    builder.replaced("&", 2, 5)
    builder.verbatim(" B", 7)
    builder.replaced(" ", 9, 1)
    builder.verbatim("next", 10)
    text = builder.text()
    assert text == "A & B next"
    smap = builder.smap
    # The decoded entity covers its whole source form.
    assert (smap.start(2), smap.end(3)) == (2, 7)
    # Text after the replacement still maps exactly.
    i = text.index("next")
    assert source[smap.start(i) : smap.end(i + 4)] == "next"
    assert source[smap.start(4) : smap.end(5)] == "B"


def test_source_map_starts_agrees_with_start_for_every_offset() -> None:
    """``starts`` is the bulk form of ``start``: the same value for each offset, including text
    before the first piece, replaced pieces (an entity), and offsets past the end."""
    builder = TextBuilder()
    builder.verbatim("Call ", 10)
    builder.replaced("&", 15, 5)  # "&amp;"
    builder.verbatim(" us", 20)
    builder.replaced(" ", 23, 2)  # a CRLF folded into a space
    builder.verbatim("today", 25)
    smap = builder.smap
    for length in (0, 3, len(builder), len(builder) + 4):
        assert smap.starts(length) == [smap.start(i) for i in range(length)], length
    empty = TextBuilder().smap
    assert empty.starts(3) == [empty.start(i) for i in range(3)]
