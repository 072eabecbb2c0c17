"""Markdown policies, read with a CommonMark parser (markdown-it-py) plus GitHub-style tables.

markdown-it-py gives each block its source lines but not the columns of inline text, so the text
of every inline token is located in the source by searching forward from a cursor: the search
keeps positions exact for emphasis, links and escapes, and a character-by-character alignment
handles the rare text that is not in the source verbatim (decoded entities).

Not prose: YAML front matter (read into metadata), fenced and indented code, HTML comments (read
for suppression directives), images, and kramdown attribute lists such as ``{: #id }``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..directives import parse_directive
from ..document import Block, BlockRole, Directive, Document, FlatHeading, LineIndex, TextBuilder, build_tree

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

# Any line ending after the opening ---: a file saved with old Mac (CR) endings has front matter too.
_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*(?:\r\n?|\n)(.*?)(?:\r\n?|\n)(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|\Z)", re.S
)
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")
# kramdown inline attribute lists: "{: #id }", "{: datetime="2020-09-09" }", "{#id}". A match
# may only start where a run of spaces starts ((?<!\s)), else a long run of spaces in a block
# is rescanned from each of its characters: quadratic time.
_IAL = re.compile(r"(?<!\s)\s*\{:[^{}\n]*\}|(?<!\s)\s*\{#[\w:.-]+\}\s*$")
_COMMENT = re.compile(r"<!--(.*?)-->", re.S)
_LINE_BREAK = re.compile(r"\r\n?|\n")
# An email address may only start where its local part starts ((?<![\w.+-])): otherwise a long
# word with no "@" is rescanned from each of its characters (a 1 MB word took hours).
_URLISH = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough. ``text_join`` stays off: it merges an entity or
    escape (``&eacute;``, ``\\*``) into the text around it, so the merged text is nowhere in the
    source and could only be placed character by character, which went astray after an image
    or an empty link; kept apart, each piece is found exactly."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    if "text_join" in parser.core.ruler.get_all_rules():
        parser.disable("text_join")
    return parser


def _blank_out(source: str, start: int, end: int) -> str:
    """Replace a span with spaces, keeping line breaks, so offsets and lines stay the same."""
    middle = re.sub(r"[^\r\n]", " ", source[start:end])
    return source[:start] + middle + source[end:]


def _front_matter(source: str) -> tuple[str, dict[str, Any]]:
    """Split off YAML front matter: the simple ``key: value`` pairs become metadata."""
    match = _FRONT_MATTER.match(source)
    if match is None:
        return source, {}
    meta: dict[str, Any] = {}
    for line in match.group(1).splitlines():
        kv = _FRONT_KEY.match(line)
        if kv and kv.group(2):
            meta[kv.group(1).lower()] = kv.group(2).strip().strip("\"'")
    return _blank_out(source, 0, match.end()), meta


class _InlineReader:
    """Builds a Block from one inline token, locating every piece of text in the source."""

    def __init__(self, source: str, lines: LineIndex, directives: list[Directive]) -> None:
        self.source = source
        self.lines = lines
        self.directives = directives
        self.cursor = 0

    def read(self, token: Token, role: BlockRole) -> Block | None:
        assert token.map is not None
        start_line, end_line = token.map
        block_start = self.lines.line_start(start_line + 1)
        limit = self.lines.line_start(end_line + 1) if end_line < self.lines.line_count else len(self.source)
        self.cursor = max(self.cursor, block_start)
        builder = TextBuilder()
        protected: list[tuple[int, int]] = []
        in_link = 0
        for child in token.children or []:
            kind = child.type
            if kind == "text":
                begin = len(builder)
                self._place(builder, child.content, limit)
                if in_link and _URLISH.fullmatch(child.content.strip()):
                    protected.append((begin, len(builder)))
            elif kind == "code_inline":
                begin = len(builder)
                self._place_code(builder, child.content, child.markup, limit)
                protected.append((begin, len(builder)))
            elif kind == "text_special":  # an entity or a backslash escape: maps to its source form
                self._place_special(builder, child.content, child.markup, limit)
            elif kind in ("softbreak", "hardbreak"):
                if not builder.ends_with_space():
                    nl, width = self._find_break(limit)
                    builder.replaced(" ", nl, width)
            elif kind == "link_open":
                in_link += 1
            elif kind == "link_close":
                in_link = max(0, in_link - 1)
                if child.markup != "autolink":
                    self._skip_link_tail(limit)
            elif kind == "image":
                self._skip_image(limit)
            elif kind == "html_inline":
                self._html_inline(child.content, limit)
        text = builder.text()
        block = Block(text, role, builder.smap)
        for match in _URLISH.finditer(text):
            protected.append(match.span())
        block.protected = sorted(protected)
        return _strip_ial(block)

    def _find_break(self, limit: int) -> tuple[int, int]:
        """Start and width of the next line break: all of a CRLF, so that a finding never starts
        between its two characters (a column past the end of the line)."""
        match = _LINE_BREAK.search(self.source, self.cursor, limit)
        if match is None:
            return self.cursor, 1
        self.cursor = match.end()
        return match.start(), match.end() - match.start()

    def _html_inline(self, content: str, limit: int) -> None:
        pos = self.source.find(content, self.cursor, limit)
        if pos != -1:
            comment = _COMMENT.fullmatch(content)
            if comment:
                line, _ = self.lines.position(pos + len(content) - 1)
                directive = parse_directive(comment.group(1), line)
                if directive is not None:
                    self.directives.append(directive)
            self.cursor = pos + len(content)

    def _place_code(self, builder: TextBuilder, text: str, fence: str, limit: int) -> None:
        """Append a code span's content, searched only between its backtick fences: a span of
        just a line break (read as a space) would otherwise be "found" at the next space of the
        paragraph, and everything after it misplaced."""
        src = self.source
        start = src.find(fence, self.cursor, limit) if fence else -1
        close = start + len(fence) if start != -1 else -1
        while close != -1:
            close = src.find(fence, close, limit)
            if close == -1 or (src[close - 1] != "`" and not src.startswith("`", close + len(fence))):
                break
            close += 1  # part of a longer run of backticks: not the closing fence
        if start == -1 or close == -1:
            self._place(builder, text, limit)
            return
        self.cursor = start + len(fence)
        self._place(builder, text, close)
        self.cursor = close + len(fence)

    def _skip_link_tail(self, limit: int) -> None:
        """Move past ``](destination "title")`` or ``][label]`` after a link's text, so that text
        after the link is not looked for inside its URL."""
        close = self.source.find("]", self.cursor, limit)
        if close != -1:
            self._skip_destination(close + 1, limit)

    def _skip_image(self, limit: int) -> None:
        """Move past ``![alt](destination)``: an image's alt text and URL are not prose."""
        src = self.source
        start = src.find("![", self.cursor, limit)
        if start == -1:
            return
        depth, i = 0, start + 1
        while i < limit:
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            depth += (ch == "[") - (ch == "]")
            if depth == 0:
                break
            i += 1
        if i < limit:
            self._skip_destination(i + 1, limit)

    def _skip_destination(self, end: int, limit: int) -> None:
        """Move the cursor to ``end``, past a ``(destination)`` or ``[label]`` starting there."""
        src = self.source
        self.cursor = end
        if src.startswith("(", end):
            self.cursor = self._balanced(end, limit)
        elif src.startswith("[", end):
            label_end = src.find("]", end + 1, limit)
            self.cursor = label_end + 1 if label_end != -1 else end

    def _balanced(self, open_at: int, limit: int) -> int:
        """Just past the ``)`` that closes the ``(`` at ``open_at`` (escapes, ``<…>`` and quoted
        titles respected); ``open_at + 1`` when it is not closed within the paragraph."""
        src = self.source
        depth, i = 0, open_at
        quote = ""
        while i < limit:
            ch = src[i]
            if ch == "\\":
                i += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and src[i - 1].isspace():
                quote = ch
            elif ch == "<" and i == open_at + 1:
                close = src.find(">", i, limit)
                i = close if close != -1 else i
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return open_at + 1

    def _place_special(self, builder: TextBuilder, text: str, form: str, limit: int) -> None:
        """Append the character(s) an entity or escape stands for, mapped to the whole ``form``."""
        pos = self.source.find(form, self.cursor, limit) if form else -1
        if pos == -1:
            self._place(builder, text, limit)
            return
        builder.replaced(text, pos, len(form))
        self.cursor = pos + len(form)

    def _place(self, builder: TextBuilder, text: str, limit: int) -> None:
        """Append ``text``, mapped to where it stands in the source (searching from the cursor)."""
        if not text:
            return
        pos = self.source.find(text, self.cursor, limit)
        if pos != -1:
            builder.verbatim(text, pos)
            self.cursor = pos + len(text)
            return
        # Not verbatim (a code span over several lines, an entity): align char by char.
        src = self.source
        for ch in text:
            if ch.isspace() and self.cursor < limit and src[self.cursor].isspace():
                # A code span turns each line ending into a space: map the space to the break
                # (both characters of a CRLF), so positions match whatever the line endings.
                width = 2 if src.startswith("\r\n", self.cursor) else 1
                builder.replaced(ch, self.cursor, width)
                self.cursor += width
                continue
            found = src.find(ch, self.cursor, min(limit, self.cursor + 12))
            if found == -1:
                # The character stands for a longer form (an entity): map it to the form.
                amp = src.find("&", self.cursor, min(limit, self.cursor + 12))
                semi = src.find(";", amp, min(limit, amp + 12)) if amp != -1 else -1
                if amp != -1 and semi != -1:
                    builder.replaced(ch, amp, semi + 1 - amp)
                    self.cursor = semi + 1
                else:
                    builder.replaced(ch, self.cursor, 0)
                continue
            builder.verbatim(ch, found)
            self.cursor = found + 1


def _strip_ial(block: Block) -> Block | None:
    """Remove kramdown attribute lists; a block that was nothing else disappears."""
    text = block.text
    if "{" not in text:
        return block if text.strip() else None
    pieces: list[tuple[int, int]] = []
    last = 0
    for match in _IAL.finditer(text):
        pieces.append((last, match.start()))
        last = match.end()
    if not pieces:
        return block
    pieces.append((last, len(text)))
    builder = TextBuilder()
    protected: list[tuple[int, int]] = []
    for start, end in pieces:
        if not len(builder):  # what an attribute list leaves at the start (a line break) goes too
            while start < end and text[start].isspace():
                start += 1
        chunk = text[start:end]
        if not chunk:
            continue
        if len(builder) and not builder.ends_with_space() and not chunk[:1].isspace():
            builder.replaced(" ", block.smap.start(start), 0)
        offset = len(builder)
        for i in range(start, end):
            builder.replaced(text[i], block.smap.start(i), block.smap.end(i + 1) - block.smap.start(i))
        protected.extend(
            (p0 - start + offset, p1 - start + offset)
            for p0, p1 in block.protected
            if start <= p0 and p1 <= end
        )
    new_text = builder.text()
    if not new_text.strip():
        return None
    stripped = Block(new_text.rstrip(), block.role, builder.smap, protected)
    return stripped


def _comments(text: str) -> Iterator[tuple[int, str]]:
    """(index of the closing ``>``, body) of each ``<!-- … -->`` in ``text``, in linear time
    (a regex search restarts at every unclosed ``<!--``: quadratic on ``<!-- <!-- <!-- …``)."""
    start = text.find("<!--")
    while start != -1:
        end = text.find("-->", start + 4)
        if end == -1:
            return
        yield end + 2, text[start + 4 : end]
        start = text.find("<!--", end + 3)


def _html_block_directives(token: Token, source: str, lines: LineIndex, out: list[Directive]) -> None:
    """Directives in an HTML block, each on the line where its comment ends.

    The block's content has the source's lines one for one (markdown-it turns CRLF and CR into
    LF, so offsets differ but line counts do not), so the line is counted in the content.
    """
    assert token.map is not None
    content = token.content
    first_line = token.map[0] + 1
    for close, body in _comments(content):
        line = first_line + content.count("\n", 0, close)
        directive = parse_directive(body, line)
        if directive is not None:
            out.append(directive)


# Raw HTML that holds a table or a definition list is content (a "Lawful bases" section that is
# only a <table> is not empty); other raw HTML (wrappers, comments, widgets) is left out as before.
_HTML_CONTENT = re.compile(r"<(?:table|dl)\b", re.IGNORECASE)


def _html_block_content(token: Token, source: str, lines: LineIndex) -> list[Block]:
    """The prose of a raw HTML block holding a table or definition list, placed in the file."""
    if token.map is None or not _HTML_CONTENT.search(token.content):
        return []
    from .html import html_fragment_blocks

    first, last = token.map
    start = lines.line_start(first + 1)
    end = lines.line_start(last + 1) if last < lines.line_count else len(source)
    return html_fragment_blocks(source[start:end], start)


def parse_markdown(source: str, path: str) -> Document:
    """Parse a Markdown policy into a :class:`Document` with exact source positions."""
    lines = LineIndex(source)
    prepared, metadata = _front_matter(source)
    tokens = _parser().parse(prepared)
    directives: list[Directive] = []
    reader = _InlineReader(source, lines, directives)
    flat: list[FlatHeading] = [FlatHeading(level=0, heading=None)]
    roles: list[BlockRole] = []
    heading_level = 0
    heading_line = 1
    for token in tokens:
        kind = token.type
        if kind == "heading_open":
            heading_level = int(token.tag[1:])
            heading_line = (token.map[0] + 1) if token.map else 1
        elif kind == "heading_close":
            heading_level = 0
        elif kind in ("bullet_list_open", "ordered_list_open"):
            roles.append(BlockRole.LIST_ITEM)
        elif kind == "blockquote_open":
            roles.append(BlockRole.QUOTE)
        elif kind in ("th_open", "td_open"):
            roles.append(BlockRole.TABLE_CELL)
        elif kind in ("bullet_list_close", "ordered_list_close", "blockquote_close", "th_close", "td_close"):
            if roles:
                roles.pop()
        elif kind == "html_block":
            _html_block_directives(token, source, lines, directives)
            flat[-1].blocks.extend(_html_block_content(token, source, lines))
        elif kind == "inline" and token.map is not None:
            if heading_level:
                block = reader.read(token, BlockRole.HEADING)
                if block is not None:
                    flat.append(FlatHeading(level=heading_level, heading=block, line=heading_line))
            else:
                role = roles[-1] if roles else BlockRole.PARAGRAPH
                block = reader.read(token, role)
                if block is not None:
                    flat[-1].blocks.append(block)
    root = build_tree(flat, lines)
    language = metadata.get("lang") or metadata.get("language")
    return Document(
        path=path,
        format="markdown",
        source=source,
        root=root,
        lines=lines,
        metadata=metadata,
        directives=directives,
        language=str(language).split("-")[0].lower() if language else None,
    )
