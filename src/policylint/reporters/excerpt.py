"""The source line under a finding, as a reader sees it: without HTML tags or Markdown markup.

Findings keep the positions of the source file (line and column count the raw characters, so
an editor jumps to the right place), but an excerpt that shows ``<h1>Privacy Notice</h1>`` or
``**shall**`` makes the reader parse markup to find the words. :func:`visible` removes the
markup of one line and keeps a map from raw columns to the shown text, so the finding's span
is still underlined (text report) or marked (HTML report) on the right words.

This is display only, line by line, with regular expressions: it does not need to agree with
the parsers on every corner of CommonMark, only to drop the markup people actually write in
policies (tags, entities, headings, quotes, bullets, emphasis, code ticks, links).
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

_TAG = r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>|<!--.*?-->|</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?$"
_ENTITY = r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
_HTML = re.compile(f"(?P<tag>{_TAG})|(?P<entity>{_ENTITY})")
_MARKDOWN = re.compile(
    f"(?P<tag>{_TAG})|(?P<entity>{_ENTITY})"
    r"|(?P<lead>^[ \t]{0,3}(?:>[ \t]?)*[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+)?)"  # quote, heading, bullet
    r"|(?P<closing>[ \t]+#+[ \t]*$)"  # the optional closing hashes of a heading
    r"|(?P<escape>\\(?=[!-/:-@\[-`{-~]))"  # a backslash escape: the character after it stays
    r"|(?P<link>\]\([^()\s]*(?:\s+\"[^\"]*\")?\))"  # the target of [text](url "title")
    r"|(?P<open>!?\[(?=[^\]]*\]\())"  # the bracket that opens a link's or image's text
    r"|(?P<emphasis>(?<![\w*_`\\])[*_]{1,3}(?=[^\s*_])|(?<=[^\s*_\\])[*_]{1,3}(?![\w*_]))"
    r"|(?P<code>`+)"
)
#: Characters without which a line has no markup to remove (most lines: no regex work).
_HTML_MARKS = re.compile("[<&]")
_MARKDOWN_MARKS = re.compile(r"[<&>#\-*+\\\[\]_`]")


class Visible(NamedTuple):
    """A line as shown, and where its raw characters went."""

    text: str
    #: (raw start, shown start, raw length, shown length) per replaced piece, in order; the
    #: characters between pieces are kept one for one.
    pieces: tuple[tuple[int, int, int, int], ...]
    #: How many leading shown characters were cut (indentation).
    lead: int

    def column(self, raw: int) -> int:
        """Where raw index ``raw`` lands in :attr:`text`: a character inside removed markup lands
        after it (so a span that starts in a tag starts at the words)."""
        if not self.pieces:
            return min(max(raw - self.lead, 0), len(self.text))
        shown = raw
        index = bisect_right(self.pieces, (raw, 1 << 62)) - 1
        if index >= 0:
            start, at, length, width = self.pieces[index]
            if raw < start + length:
                shown = at if raw == start else at + width
            else:
                shown = at + width + (raw - start - length)
        return min(max(shown - self.lead, 0), len(self.text))


@lru_cache(maxsize=1024)  # findings cluster on lines: a paragraph line often has several
def visible(line: str, fmt: str) -> Visible:
    """``line`` as a reader sees it in a document of format ``fmt`` (``html``, ``markdown`` or
    ``text``), with surrounding whitespace removed."""
    pattern, marks = (
        (_HTML, _HTML_MARKS)
        if fmt == "html"
        else (_MARKDOWN, _MARKDOWN_MARKS)
        if fmt == "markdown"
        else (None, None)
    )
    shown = line
    pieces: list[tuple[int, int, int, int]] = []
    if pattern is not None and marks is not None and marks.search(line) is not None:
        out: list[str] = []
        kept = 0  # raw index up to which text was copied
        width = 0  # length of the shown text so far
        for match in pattern.finditer(line):
            if match.end() == match.start():
                continue
            replacement = html.unescape(match.group()) if match.lastgroup == "entity" else ""
            out.append(line[kept : match.start()])
            width += match.start() - kept
            pieces.append((match.start(), width, match.end() - match.start(), len(replacement)))
            out.append(replacement)
            width += len(replacement)
            kept = match.end()
        out.append(line[kept:])
        shown = "".join(out)
    stripped = shown.lstrip()
    lead = len(shown) - len(stripped)
    return Visible(stripped.rstrip(), tuple(pieces), lead)


class Cut(NamedTuple):
    """An excerpt cut around a span: ``lead`` and ``trail`` are "…" where text was left out."""

    lead: str
    before: str
    marked: str
    after: str
    trail: str


def cut(line: str, fmt: str, start: int, end: int, *, before: int, window: int) -> Cut | None:
    """The shown text of ``line`` around raw span ``[start, end)``: the whole line when it has at
    most ``window`` characters, else ``window`` of them with up to ``before`` ahead of the span. None for a line with no words.

    When the whole span is markup (an address inside ``href="…"``), the raw line is shown
    instead, so the excerpt still shows what was found."""
    seen = visible(line, fmt)
    lo_raw, hi_raw = seen.column(start), seen.column(end)
    if hi_raw <= lo_raw and end > start and line[start:end].strip():
        seen = visible(line, "text")
        lo_raw, hi_raw = seen.column(start), seen.column(end)
    text = seen.text
    if not text:
        return None
    if len(text) <= window:  # the whole line fits
        lo, hi = 0, len(text)
    else:
        lo = max(0, min(lo_raw - before, len(text) - window))
        hi = lo + window
    mark_end = min(max(hi_raw, lo_raw), hi)
    return Cut(
        "…" if lo > 0 else "",
        text[lo:lo_raw],
        text[lo_raw:mark_end],
        text[mark_end:hi],
        "…" if hi < len(text) else "",
    )
