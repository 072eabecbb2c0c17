"""The parsed shape of a policy: a tree of sections whose text keeps its exact source positions.

Every parser (Markdown, HTML, plain text) produces the same :class:`Document`, so rules never
know which format they are reading. The one contract that makes SARIF, GitHub annotations and
editor integrations possible lives here: any character range of a block's *text* maps back to a
character range of the *original file*, through :class:`SourceMap`, and any source offset maps to
a 1-based line and column through :class:`LineIndex`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

_LINE_BREAK = re.compile(r"\r\n?|\n")


class LineIndex:
    """Turns character offsets of a source text into 1-based (line, column) pairs.

    ``\\n``, ``\\r\\n`` and a lone ``\\r`` each end a line, so positions stay right for files
    written on any platform. Columns count Unicode code points, starting at 1.
    """

    __slots__ = ("_length", "_starts")

    def __init__(self, source: str) -> None:
        self._starts = [0, *(m.end() for m in _LINE_BREAK.finditer(source))]
        self._length = len(source)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a source offset (clamped to the text)."""
        offset = max(0, min(offset, self._length))
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        """Offset of the first character of a 1-based line."""
        line = max(1, min(line, len(self._starts)))
        return self._starts[line - 1]

    def line_end(self, line: int, source: str) -> int:
        """Offset just past the last character of a 1-based line (line break excluded)."""
        end = self._length if line >= len(self._starts) else self._starts[line]
        start = self.line_start(line)
        while end > start and source[end - 1] in "\r\n":
            end -= 1
        return end


@dataclass(slots=True)
class _Segment:
    text_start: int
    text_len: int
    source_start: int
    source_len: int


class SourceMap:
    """Maps offsets in a block's extracted text back to offsets in the original file.

    Text copied verbatim maps one to one; text that stands for something else in the source
    (an HTML entity, a line break folded into a space, a Markdown escape) maps as a unit, so a
    finding that covers it covers its whole source form.
    """

    __slots__ = ("_segments", "_text_starts")

    def __init__(self) -> None:
        self._segments: list[_Segment] = []
        self._text_starts: list[int] = []

    def add(self, text_start: int, text_len: int, source_start: int, source_len: int) -> None:
        if text_len <= 0:
            return
        self._segments.append(_Segment(text_start, text_len, source_start, source_len))
        self._text_starts.append(text_start)

    def _segment_for(self, offset: int) -> _Segment | None:
        if not self._segments:
            return None
        idx = bisect_right(self._text_starts, offset) - 1
        return self._segments[max(idx, 0)]

    def shifted(self, delta: int) -> SourceMap:
        """The same map for text that was read from a slice starting ``delta`` characters into
        the file (raw HTML inside Markdown is parsed on its own, then placed in the file)."""
        moved = SourceMap()
        for seg in self._segments:
            moved.add(seg.text_start, seg.text_len, seg.source_start + delta, seg.source_len)
        return moved

    def start(self, offset: int) -> int:
        """Source offset of the character at text ``offset``."""
        seg = self._segment_for(offset)
        if seg is None:
            return 0
        rel = offset - seg.text_start
        if rel <= 0:
            return seg.source_start
        if rel >= seg.text_len:
            return seg.source_start + seg.source_len
        if seg.text_len == seg.source_len:
            return seg.source_start + rel
        return seg.source_start

    def starts(self, length: int) -> list[int]:
        """``[self.start(i) for i in range(length)]``, built a segment at a time: rules that map
        many offsets back (link targets in a long paragraph) would otherwise bisect per character."""
        segments = self._segments
        if not segments:
            return [0] * length
        out: list[int] = []
        for index, seg in enumerate(segments):
            stop = segments[index + 1].text_start if index + 1 < len(segments) else length
            stop = min(stop, length)
            if index == 0 and seg.text_start > 0:  # before the first segment: its start
                out.extend([seg.source_start] * min(seg.text_start, length))
            inside = min(seg.text_start + seg.text_len, stop)
            if inside > seg.text_start:
                if seg.text_len == seg.source_len:
                    out.extend(range(seg.source_start, seg.source_start + inside - seg.text_start))
                else:
                    out.extend([seg.source_start] * (inside - seg.text_start))
            after = max(inside, seg.text_start)
            if stop > after:
                out.extend([seg.source_start + seg.source_len] * (stop - after))
        return out

    def end(self, offset: int) -> int:
        """Source offset just past the text character before ``offset`` (an exclusive end)."""
        if offset <= 0:
            return self.start(0)
        seg = self._segment_for(offset - 1)
        if seg is None:
            return 0
        rel = offset - seg.text_start
        if rel >= seg.text_len:
            return seg.source_start + seg.source_len
        if seg.text_len == seg.source_len:
            return seg.source_start + rel
        return seg.source_start + seg.source_len


class TextBuilder:
    """Accumulates a block's text while recording where each piece came from."""

    __slots__ = ("_length", "_parts", "smap")

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.smap = SourceMap()

    def __len__(self) -> int:
        return self._length

    def verbatim(self, text: str, source_start: int) -> None:
        """Append text that stands in the source exactly as written, starting at ``source_start``."""
        self.replaced(text, source_start, len(text))

    def replaced(self, text: str, source_start: int, source_len: int) -> None:
        """Append text that stands for ``source_len`` source characters of another form."""
        if not text:
            return
        self.smap.add(self._length, len(text), source_start, source_len)
        self._parts.append(text)
        self._length += len(text)

    def ends_with_space(self) -> bool:
        return not self._parts or self._parts[-1][-1:].isspace()

    def text(self) -> str:
        return "".join(self._parts)


class BlockRole(str, Enum):
    """What a piece of prose is in its document; rules use it to skip headings, lists or tables."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_CELL = "table_cell"
    QUOTE = "quote"


@dataclass(slots=True)
class Block:
    """One unit of prose (a paragraph, a list item, a heading, a table cell) and its source map."""

    text: str
    role: BlockRole
    smap: SourceMap
    #: Text ranges that are not prose to judge (inline code, URLs, email addresses): word rules skip them.
    protected: list[tuple[int, int]] = field(default_factory=list)
    #: The language its markup declares (an HTML ``lang`` attribute below ``<html>``), if any.
    language: str | None = None

    @classmethod
    def from_builder(cls, builder: TextBuilder, role: BlockRole) -> Block:
        return cls(builder.text(), role, builder.smap)

    def is_protected(self, start: int, end: int) -> bool:
        """True when ``[start, end)`` overlaps a protected range (code, URL, email)."""
        return any(start < p_end and p_start < end for p_start, p_end in self.protected)

    def source_range(self, start: int, end: int) -> tuple[int, int]:
        """Source offsets (start, exclusive end) of the text range ``[start, end)``."""
        s = self.smap.start(start)
        e = self.smap.end(end)
        return s, max(e, s)

    @property
    def source_start(self) -> int:
        return self.smap.start(0)

    @property
    def source_end(self) -> int:
        return self.smap.end(len(self.text))


@dataclass(slots=True)
class Section:
    """A heading and what stands under it until the next heading of the same or a higher level.

    The document root is a section too (level 0, no heading): it holds the text before the first
    heading and the top-level sections as children.
    """

    title: str
    level: int
    heading: Block | None = None
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    kind: str = "other"
    kind_score: float = 0.0
    line: int = 1
    end_line: int = 1
    parent: Section | None = field(default=None, repr=False)
    #: The section's language when it is not the document's (a Danish section in an English
    #: policy); None when it is written in the document's language.
    language: str | None = None

    def walk(self) -> Iterator[Section]:
        """This section and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def body_text(self) -> str:
        """The prose directly under this heading (not its subsections), blocks joined by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)

    def all_text(self) -> str:
        """Prose of this section and every subsection, headings included."""
        parts: list[str] = []
        for sec in self.walk():
            if sec.heading is not None:
                parts.append(sec.heading.text)
            parts.extend(b.text for b in sec.blocks)
        return "\n\n".join(parts)

    def path(self) -> list[str]:
        """Titles from the top-level section down to this one."""
        titles: list[str] = []
        node: Section | None = self
        while node is not None and node.level > 0:
            titles.append(node.title)
            node = node.parent
        return list(reversed(titles))


@dataclass(frozen=True, slots=True)
class Directive:
    """An inline suppression comment found by a parser (``policylint-disable`` and friends)."""

    line: int
    action: str  # "disable", "enable" or "disable-next-line"
    rules: tuple[str, ...]  # empty means every rule


@dataclass(frozen=True, slots=True)
class Location:
    """1-based start and end positions in the original file; the end column is exclusive."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class Document:
    """A parsed policy: source, section tree, metadata and inline directives."""

    path: str
    format: str
    source: str
    root: Section
    lines: LineIndex
    metadata: dict[str, Any] = field(default_factory=dict)
    directives: list[Directive] = field(default_factory=list)
    language: str | None = None
    encoding: str = "utf-8"

    def sections(self) -> Iterator[Section]:
        """Every section below the root, in document order."""
        for child in self.root.children:
            yield from child.walk()

    def all_sections(self) -> Iterator[Section]:
        """The root and every section, in document order."""
        yield from self.root.walk()

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        """Every prose block with the section it belongs to (headings excluded)."""
        for sec in self.root.walk():
            for block in sec.blocks:
                yield sec, block

    def headings_and_blocks(self) -> Iterator[tuple[Section, Block]]:
        """Every heading and prose block with its section, in document order (the root's prose
        first). Extractors read headings too: "Call us: 555 0100" can be a heading, and a
        period or date in a title is as much stated as one in the prose."""
        for sec in self.all_sections():
            if sec.heading is not None:
                yield sec, sec.heading
            for block in sec.blocks:
                yield sec, block

    def text(self) -> str:
        """All prose of the document, headings included."""
        return self.root.all_text()

    def word_count(self) -> int:
        return sum(len(b.text.split()) for _, b in self.blocks()) + sum(
            len(s.heading.text.split()) for s in self.sections() if s.heading is not None
        )

    def location(self, start: int, end: int) -> Location:
        """Location of the source range ``[start, end)``."""
        line, col = self.lines.position(start)
        end_line, end_col = self.lines.position(max(end, start))
        return Location(line, col, end_line, end_col)

    def in_language(self, language: str) -> Document:
        """The part of this document written in ``language``: a :class:`LanguageView` that shares
        this document's source, positions and section objects."""
        return LanguageView(
            path=self.path,
            format=self.format,
            source=self.source,
            root=self.root,
            lines=self.lines,
            metadata=self.metadata,
            directives=self.directives,
            language=self.language,
            encoding=self.encoding,
            view_language=language,
        )

    def first_line_location(self) -> Location:
        """Where document-level findings point: the first heading, else the first prose, else line 1."""
        for section in self.sections():
            if section.heading is not None and section.heading.text:
                return self.location(section.heading.source_start, section.heading.source_end)
        for _, block in self.blocks():
            if block.text:
                return self.location(block.source_start, block.source_end)
        return Location(1, 1, 1, 1)


@dataclass(slots=True)
class LanguageView(Document):
    """The sections of a document written in one language, for the rules of that language.

    Iterating it (``sections``, ``all_sections``, ``blocks``, ``text``) yields only the sections
    whose language is ``view_language`` (see :attr:`Section.language`); the root's own prose (the
    text before the first heading) belongs to the document's language. The sections are the
    document's own objects, so a section's children and blocks are all there: an English heading
    whose only subsection is Danish is not empty.
    """

    view_language: str = ""

    def _keeps(self, section: Section) -> bool:
        return (section.language or self.language) == self.view_language

    def all_sections(self) -> Iterator[Section]:
        return (s for s in self.root.walk() if self._keeps(s))

    def sections(self) -> Iterator[Section]:
        return (s for s in self.all_sections() if s.level > 0)

    def blocks(self) -> Iterator[tuple[Section, Block]]:
        for sec in self.all_sections():
            for block in sec.blocks:
                yield sec, block

    def text(self) -> str:
        parts: list[str] = []
        for sec in self.all_sections():
            if sec.heading is not None:
                parts.append(sec.heading.text)
            parts.extend(b.text for b in sec.blocks)
        return "\n\n".join(parts)


@dataclass(slots=True)
class FlatHeading:
    """What parsers emit while reading: a heading (or the preamble when ``level`` is 0) and its body."""

    level: int
    heading: Block | None
    blocks: list[Block] = field(default_factory=list)
    line: int = 1


def build_tree(flat: list[FlatHeading], lines: LineIndex) -> Section:
    """Nest a flat run of headings into a section tree by level.

    A heading whose level skips (h1 then h3) still nests under the nearest shallower heading,
    which is how readers perceive it. Each section's ``end_line`` is the line before the next
    heading at its level or above (or the last line of the file).
    """
    root = Section(title="", level=0, line=1, end_line=lines.line_count)
    stack: list[Section] = [root]
    ordered: list[Section] = []
    for item in flat:
        if item.level == 0 or item.heading is None:
            root.blocks.extend(item.blocks)
            continue
        title = " ".join(item.heading.text.split())
        sec = Section(title=title, level=item.level, heading=item.heading, blocks=item.blocks, line=item.line)
        while stack[-1].level >= item.level:
            stack.pop()
        sec.parent = stack[-1]
        stack[-1].children.append(sec)
        stack.append(sec)
        ordered.append(sec)
    # One pass: a section ends just before the next heading at its level or above.
    last = lines.line_count
    open_sections: list[Section] = []
    for sec in ordered:
        while open_sections and open_sections[-1].level >= sec.level:
            closed = open_sections.pop()
            closed.end_line = max(closed.line, sec.line - 1)
        open_sections.append(sec)
    for sec in open_sections:
        sec.end_line = max(sec.line, last)
    return root
