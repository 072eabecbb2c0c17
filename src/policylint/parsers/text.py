"""Plain-text policies: recover the headings a reader sees, and keep every character's position.

Plain text has no markup, so structure is inferred from what people actually type: numbered
clauses (``1.``, ``2)``, ``3.6``), ``Section``/``Article``/``Part`` labels, lettered clauses
(``A. Account Terms``), ALL CAPS lines, ``===``/``---`` underlines and short Title Case lines that
stand alone. Every heuristic leans towards prose, because a sentence wrongly taken for a heading
hides its words from the prose rules, while a missed heading only merges two sections.

Levels: a numbered or ``Section 3.1`` heading is as deep as its number (capped at
:data:`MAX_LEVEL` so a hostile ``1.1.1.1…`` cannot build an arbitrarily deep tree); lettered,
Roman, ALL CAPS and ``===``-underlined headings are level 1; ``---``-underlined ones level 2.
A Title Case line has no level of its own, so it goes one below the last heading of any other
kind (level 1 when none came before).

A ``===``/``---`` line only underlines a line standing alone above it (else it separates), and a
lettered heading must start its paragraph; numbered ones may interrupt a paragraph unless the line
before ends with a colon or they sit among other short numbered lines (a list or a contents page).

Positions: lines are read through :class:`LineIndex`, so ``\\n``, ``\\r\\n`` and a lone ``\\r``
all end a line. Each line is trimmed; the break between two lines of a paragraph becomes one
space that maps to the whole gap (trailing blanks, line break, indentation), and all other text
is copied verbatim, so any range of a block's text maps back to the exact source characters.
The file is read in one pass with bounded look-ahead, and nothing recurses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..directives import parse_directive
from ..document import (
    Block,
    BlockRole,
    Directive,
    Document,
    FlatHeading,
    LineIndex,
    TextBuilder,
    build_tree,
)

MAX_LEVEL = 6
_HEADING_WORDS = 12  # longer than this, a numbered or ALL CAPS line is a sentence
_TITLE_CASE_WORDS = 8  # Title Case alone is a weaker signal, so allow fewer words

# "# policylint-disable rule" or "// policylint-enable"; the text after the marker goes to
# parse_directive, which decides whether it really is a directive.
_DIRECTIVE_LINE = re.compile(r"(?:#|//)(\s*policylint-.*)", re.IGNORECASE)
_RULE_LINE = re.compile(r"-{3,}|\*{3,}|_{3,}|={3,}")
_BULLET = re.compile(r"(?:[-*+]\s+|[•◦▪‣]\s*)(?=\S)")
# "(a)", "(iv)", "(2)", "a)": sub-clause markers, always list items, never headings.
_SUB_ITEM = re.compile(r"(?:\((?:[a-z]{1,4}|\d{1,3})\)|[a-z]\))\s+(?=\S)")
_NUMBERED = re.compile(r"(\d{1,3}(?:\.\d{1,3})*)([.)]?)\s+(?=\S)")
_LETTERED = re.compile(r"(?:[A-Z]|[IVX]{2,5})[.)]\s+(?=\S)")
_KEYWORD = re.compile(
    r"(?i:section|article|part|chapter|clause|schedule|appendix|annex)\s+"
    r"(\d{1,3}(?:\.\d{1,3})*|[IVXLC]{1,7}|[A-Z])\.?(?:\s*[-–—:.)]\s*|\s+|$)"
)
# Words Title Case leaves in lower case; everything else must mostly be capitalised.
_MINOR_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "nor", "but", "for", "of", "to", "in", "on", "at", "by"}
    | {"with", "from", "as", "per", "via", "vs", "into", "onto", "upon"}
)
_WORD_PUNCT = "\"'()[]{}“”‘’«»,;:!?"


@dataclass(slots=True)
class _Line:
    """One non-blank line, trimmed; ``start`` is the source offset of its first kept character."""

    number: int
    start: int
    text: str
    indent: int
    underline: int = 0  # heading level given by a ===/--- line right below, 0 when none


def _is_title(text: str, max_words: int) -> bool:
    """Short, starts with a capital, and not punctuated like a sentence or a lead-in to a list."""
    words = text.split()
    if not words or len(words) > max_words or text[-1] in ".,;:!":
        return False
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper()


def _mostly_caps(text: str) -> bool:
    """At least two letters and 80% of them upper case (so "TERMS (v2)" still counts)."""
    letters = sum(map(str.isalpha, text))
    return letters >= 2 and sum(map(str.isupper, text)) * 5 >= letters * 4


def _title_cased(text: str) -> bool:
    """Three quarters of the significant words capitalised: "How to Contact Us", not "Contact us"."""
    if "@" in text or "://" in text:
        return False
    words = [w.strip(_WORD_PUNCT) for w in text.split()]
    significant = [w for w in words if w[:1].isalpha() and w.lower() not in _MINOR_WORDS]
    capitalised = sum(1 for w in significant if w[0].isupper())
    return bool(significant) and capitalised * 4 >= len(significant) * 3


def _enumerator(text: str) -> tuple[tuple[str, int], int] | None:
    """Kind (style, depth) and text offset of a clause number such as ``1.``, ``3.6``, ``B)``.

    A bare ``1`` is not a number marker (it starts "14 days"), and ``1.5`` only is when a
    capital follows, so "1.5 million users" stays prose.
    """
    match = _NUMBERED.match(text)
    if match is not None:
        depth = match.group(1).count(".") + 1
        if match.group(2) or (depth > 1 and text[match.end()].isupper()):
            return ("number", depth), match.end()
        return None
    match = _LETTERED.match(text)
    if match is not None:
        return ("letter", 1), match.end()
    return None


def _numbered_title(text: str) -> tuple[str, int] | None:
    """Kind of a clause number followed by a short title ("1. Returns"), None otherwise."""
    enum = _enumerator(text)
    if enum is None or not _is_title(text[enum[1] :], _HEADING_WORDS):
        return None
    return enum[0]


def _keyword_level(text: str) -> int:
    """Level of a "Section 3.1 - Title" / "Article IV" / "Part II" heading, 0 if it is not one."""
    match = _KEYWORD.match(text)
    if match is None:
        return 0
    rest = text[match.end() :]
    if rest and not _is_title(rest, _HEADING_WORDS):
        return 0  # "Section 3 of this policy explains..." is prose
    number = match.group(1)
    return number.count(".") + 1 if number[0].isdigit() else 1


def _list_marker(text: str, letters: bool) -> int | None:
    """Offset where a list item's text starts (after its bullet or number), None for prose.

    ``letters`` says whether ``A.`` may start an item here: inside a paragraph it is more often
    an initial ("P. O. Box 12") than a clause letter.
    """
    for pattern in (_BULLET, _SUB_ITEM):
        match = pattern.match(text)
        if match is not None:
            return match.end()
    enum = _enumerator(text)
    if enum is None or (enum[0][0] == "letter" and not letters):
        return None
    return enum[1]


def _underlinable(text: str) -> bool:
    """Whether a ===/--- line below ``text`` underlines it rather than separating paragraphs."""
    return _BULLET.match(text) is None and text[-1] != "." and len(text.split()) <= _HEADING_WORDS


class _Parser:
    """Reads the lines once, groups non-blank lines into runs and turns each run into blocks.

    A run ends at a blank line, a separator, a directive comment or a form feed, so a heading
    that "stands alone" means a run of one line.
    """

    def __init__(self, source: str, lines: LineIndex) -> None:
        self.source = source
        self.lines = lines
        self.flat: list[FlatHeading] = [FlatHeading(level=0, heading=None, line=1)]
        self.directives: list[Directive] = []
        self.run: list[_Line] = []
        self.builder: TextBuilder | None = None
        self.role = BlockRole.PARAGRAPH
        self.item_indent = 0
        self.strong_level = 0  # level of the last heading that was not a Title Case guess

    def parse(self) -> None:
        """Classify each line; line numbers come from LineIndex so they match reported positions."""
        source, lines = self.source, self.lines
        for number in range(1, lines.line_count + 1):
            start = lines.line_start(number)
            raw = source[start : lines.line_end(number, source)]
            text = raw.strip()
            lead = len(raw) - len(raw.lstrip())
            if not text or "\f" in raw[:lead]:
                self._end_run()  # a form feed is a page break: nothing continues across it
                if not text:
                    continue
            if self._special(text, number):
                continue
            self.run.append(_Line(number, start + lead, text, lead))
            if "\f" in raw[lead + len(text) :]:
                self._end_run()
        self._end_run()

    def _special(self, text: str, number: int) -> bool:
        """Handle a directive comment or a rule line: both end the run and neither is prose."""
        if text[0] not in "#/-*_=":
            return False  # the common case: cheaper than two regex matches
        match = _DIRECTIVE_LINE.fullmatch(text)
        if match is not None:
            directive = parse_directive(match.group(1), number)
            if directive is not None:
                self.directives.append(directive)
                self._end_run()
                return True
        if _RULE_LINE.fullmatch(text) is None:
            return False
        # Only a line standing alone is underlined: a rule below a longer paragraph (or below a
        # blank line, or made of * or _) separates, as cutting a paragraph would lose prose.
        if len(self.run) == 1 and text[0] in "=-" and _underlinable(self.run[0].text):
            self.run[0].underline = 1 if text[0] == "=" else 2
        self._end_run()
        return True

    def _end_run(self) -> None:
        """Turn the pending run into blocks; a run is only complete once something interrupts it."""
        if self.run:
            self._emit_run(self.run)
            self.run = []

    def _emit_run(self, run: list[_Line]) -> None:
        """Split one run into headings, list items and paragraphs (needs the whole run for look-ahead)."""
        for i, line in enumerate(run):
            level = self._heading_level(run, i)
            if level:
                self._flush()
                builder = TextBuilder()
                builder.verbatim(line.text, line.start)
                heading = Block.from_builder(builder, BlockRole.HEADING)
                self.flat.append(FlatHeading(level=level, heading=heading, line=line.number))
                continue
            in_list = self.builder is not None and self.role is BlockRole.LIST_ITEM
            marker = _list_marker(line.text, i == 0 or in_list or run[i - 1].text.endswith(":"))
            current = self.builder
            if (
                marker is None
                and current is not None
                and (self.role is BlockRole.PARAGRAPH or line.indent > self.item_indent)
            ):
                # Same paragraph (or a continuation indented under a list item): the builder
                # holds run[i - 1], so the gap since its last character becomes one space.
                prev = run[i - 1]
                gap_start = prev.start + len(prev.text)
                current.replaced(" ", gap_start, line.start - gap_start)
                current.verbatim(line.text, line.start)
                continue
            self._flush()
            offset = marker or 0
            self.builder = TextBuilder()
            self.builder.verbatim(line.text[offset:], line.start + offset)
            self.role = BlockRole.PARAGRAPH if marker is None else BlockRole.LIST_ITEM
            self.item_indent = line.indent
        self._flush()

    def _heading_level(self, run: list[_Line], i: int) -> int:
        """Level of ``run[i]`` as a heading, 0 when it is prose or a list item."""
        line = run[i]
        text = line.text
        if line.underline:
            return self._strong(line.underline)
        if _BULLET.match(text) or _SUB_ITEM.match(text):
            return 0
        level = _keyword_level(text)
        if level:
            return self._strong(level)
        kind = _numbered_title(text)
        if kind is None and _enumerator(text) is not None:
            return 0  # "1. We collect your name, email address and ..." is a list item
        if kind is not None:
            in_list = self.builder is not None and self.role is BlockRole.LIST_ITEM
            if i > 0 and (in_list or run[i - 1].text.endswith(":") or kind[0] == "letter"):
                # "We collect:" then "1. Name" is a list; a letter inside a paragraph is more
                # often an initial ("P. O. Box 12") than a clause, so it must start the run.
                return 0
            if i + 1 < len(run) and _numbered_title(run[i + 1].text) == kind:
                return 0  # consecutive short numbered lines: a list or a table of contents
            return self._strong(kind[1])
        if (
            i == 0
            and _is_title(text, _HEADING_WORDS)
            and _mostly_caps(text)
            and (len(run) == 1 or not _mostly_caps(run[1].text))
        ):
            return self._strong(1)  # ALL CAPS title, alone or over mixed-case text
        if len(run) == 1 and _is_title(text, _TITLE_CASE_WORDS) and _title_cased(text):
            return min(self.strong_level + 1, MAX_LEVEL)
        return 0

    def _strong(self, level: int) -> int:
        """Record a heading whose level is explicit, so later Title Case lines nest under it."""
        self.strong_level = min(level, MAX_LEVEL)
        return self.strong_level

    def _flush(self) -> None:
        """Close the open paragraph or list item under the latest heading."""
        if self.builder is not None:
            self.flat[-1].blocks.append(Block.from_builder(self.builder, self.role))
            self.builder = None


def parse_text(source: str, path: str) -> Document:
    """Parse a plain-text policy into a :class:`Document` with format ``"text"``."""
    lines = LineIndex(source)
    parser = _Parser(source, lines)
    parser.parse()
    root = build_tree(parser.flat, lines)
    return Document(
        path=path,
        format="text",
        source=source,
        root=root,
        lines=lines,
        directives=parser.directives,
    )
