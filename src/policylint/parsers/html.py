"""HTML policies: the prose a reader sees, split into sections, with exact source positions.

Policies are often published straight from a CMS, so the HTML is whatever the CMS produced:
unclosed ``<p>`` and ``<li>``, stray end tags, deep ``<div>`` soup, entities everywhere. We use the
standard library's tokenizer (no network, no external entities, no dependency) and rebuild only
as much of a browser's tree construction as our purpose needs: which text a reader sees, where
its paragraphs break, and which headings structure it. Navigation, scripts and hidden content
are skipped because findings there would not be about the policy a customer reads.

Positions come from the tokenizer, never from re-serialised text, so every character of a block
maps back to the characters of the file that produced it (an entity maps as a unit).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from html.parser import HTMLParser

from ..directives import parse_directive
from ..document import Block, BlockRole, Directive, Document, FlatHeading, LineIndex, TextBuilder, build_tree


def _names(words: str) -> frozenset[str]:
    """Tag names written as one space-separated string, which keeps the long lists readable."""
    return frozenset(words.split())


_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_VOID = _names(
    "area base basefont bgsound br col embed frame hr image img input keygen link meta param source track wbr"
)
# Content a reader of the policy does not read as policy text (or cannot see at all).
_SKIP = _names(
    "script style noscript template nav header footer svg math iframe object head title pre "
    "textarea select button canvas audio video noembed noframes xmp"
)
# Skipped elements that still separate the text around them the way a block does.
_SKIP_BLOCKS = _names("nav header footer pre head xmp")
_ROLES: dict[str, BlockRole] = dict.fromkeys(
    _names(
        "p div section article main aside dl dt dd caption figcaption figure address details summary form "
        "fieldset legend body html center dialog hgroup search ul ol menu dir table thead tbody tfoot tr "
        "colgroup"
    ),
    BlockRole.PARAGRAPH,
)
_ROLES.update(
    li=BlockRole.LIST_ITEM, td=BlockRole.TABLE_CELL, th=BlockRole.TABLE_CELL, blockquote=BlockRole.QUOTE
)
# Start tags that close an open <p> (HTML tree construction, "close a p element").
_CLOSES_P = _names(
    "address article aside blockquote center details dialog dir div dl dd dt fieldset figcaption figure "
    "footer header hgroup main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre listing "
    "form table hr xmp li"
)
# Scopes: an element of the set hides the elements outside it from implied and stray closes.
# <noscript> is one too, so markup inside it never closes (and un-hides) what is around it.
_DEFAULT_SCOPE = _names("applet caption html table td th marquee object template svg math noscript")
_BUTTON_SCOPE = _DEFAULT_SCOPE | {"button"}
_TABLE_SCOPE = _names("html table template noscript")
_TABLE_PARTS = _names("table caption colgroup thead tbody tfoot tr td th")
# The spec's "special" elements minus address/div/p: where a new <li>/<dd> stops looking for one to close.
_LIST_STOP = _names(
    "applet area article aside base basefont bgsound blockquote body br button caption center col "
    "colgroup dd details dir dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 h3 "
    "h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu meta "
    "nav noembed noframes noscript object ol param plaintext pre script search section select source "
    "style summary table tbody td template textarea tfoot th thead title tr track ul wbr xmp svg math"
)
# Start tags that close an open element of their kind, and the elements that stop the search.
_IMPLIED_CLOSE: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {
    "li": (("li",), _LIST_STOP),
    "dd": (("dd", "dt"), _LIST_STOP),
    "dt": (("dd", "dt"), _LIST_STOP),
    "td": (("td", "th"), _TABLE_SCOPE),
    "th": (("td", "th"), _TABLE_SCOPE),
    "tr": (("tr",), _TABLE_SCOPE),
    **dict.fromkeys(("thead", "tbody", "tfoot"), (("thead", "tbody", "tfoot"), _TABLE_SCOPE)),
    # Browsers would nest the headings; a forgotten </h2> is the likelier story.
    **dict.fromkeys(_HEADINGS, (tuple(_HEADINGS), _BUTTON_SCOPE)),
}
_SCOPES = (_DEFAULT_SCOPE, _BUTTON_SCOPE, _TABLE_SCOPE, _LIST_STOP)
_HEAD_CONTENT = _names("html head title meta link script style base noscript template basefont bgsound")
_CODE = _names("code kbd samp tt var")
# Same as the Markdown parser's: URLs and email addresses are not prose to judge.
# An email address starts where its local part starts ((?<![\w.+-])), so a long word with no "@"
# is scanned once, not once from each of its characters (quadratic: hours for a 1 MB word).
_URLISH = re.compile(r"(?:https?://|www\.)\S+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Whitespace that does not already read as one plain space: runs, newlines, tabs, no-break spaces.
_ODD_SPACE = re.compile(r"\s\s+|[^\S ]")
# "&#" that starts no character reference (the tokenizer's own test, end of input allowed).
_BAD_CHARREF = re.compile(r"&#(?!(?:[0-9]+|[xX][0-9a-fA-F]+)(?:[^0-9a-fA-F]|\Z))")
# References the tokenizer left inside text (at the end of the input, say).
_LEFTOVER_REF = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")


@dataclass(slots=True)
class _Open:
    """An element on our stack of open elements, with what closing it means for the text."""

    tag: str
    start: int
    skip: bool  # this element hides its content
    level: int = 0  # heading level if this element is an active heading
    block: bool = False  # closing it ends the current block (or adds a space inside a heading)
    in_roles: bool = False  # pushed onto the role stack
    language: str | None = None  # its lang attribute (elements below <html> and <body> only)


def _language(value: str | None) -> str | None:
    """Primary language subtag ("en-US" -> "en"), since rules are chosen per language, not region."""
    primary = (value or "").strip().replace("_", "-").split("-")[0].lower()
    return primary or None


def _aria_level(value: str | None) -> int:
    """``aria-level`` as a heading level; ARIA's default for a heading is 2."""
    try:
        return min(max(int((value or "").strip()), 1), 6)
    except ValueError:
        return 2


class _PolicyHTMLParser(HTMLParser):
    """Tokenizer callbacks that build the flat heading list of a policy page."""

    def __init__(self, source: str, lines: LineIndex) -> None:
        super().__init__(convert_charrefs=False)
        self.src = self.fed = source
        self.lines = lines
        # The tokenizer counts lines on "\n" only, so positions are converted with the same rule.
        self._nl_starts = [0, *(m.end() for m in re.finditer("\n", source))]
        self.flat: list[FlatHeading] = [FlatHeading(level=0, heading=None)]
        self.directives: list[Directive] = []
        self.metadata: dict[str, object] = {}
        self.language: str | None = None
        self._stack: list[_Open] = []  # explicit, so 10,000 nested <div>s cost no recursion
        # Stack indices of the open elements by name, and of the open elements that bound each
        # scope: finding "the nearest open <li> not hidden behind a <ul>" is then O(1), so stray
        # end tags stay cheap however deep the page nests.
        self._open_at: dict[str, list[int]] = {}
        self._marks: dict[frozenset[str], list[int]] = {s: [] for s in _SCOPES}
        self._roles: list[BlockRole] = []
        self._skip = 0
        self._heading = 0
        self._title: list[str] | None = None
        # Pending text of the current block: pieces with the source range each stands for.
        self._parts: list[str] = []
        self._starts: list[int] = []
        self._lens: list[int] = []
        self._length = 0  # characters in _parts
        self._code = 0  # open <code>-like elements
        self._code_from = 0  # where the outermost open one began in the pending text
        self._protected: list[tuple[int, int]] = []
        # Languages declared by open elements below <html>/<body> (innermost last), and the one
        # in force when the pending block's first text was read.
        self._languages: list[str] = []
        self._block_language: str | None = None

    def run(self) -> None:
        """Tokenize the whole source, then close whatever is still open.

        Python 3.11's tokenizer stops at an ``&#`` that starts no reference and, once it has met a
        second one, hands the rest of the file over as plain text, tags and all. So it reads a copy
        where such ``&#`` are ``& `` (same length, so every offset holds) and text is always taken
        from the original.
        """
        self.fed = _BAD_CHARREF.sub("& ", self.src)
        self.feed(self.fed)
        self.close()
        self._pop_to(0, len(self.src), 0)
        self._flush()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._nl_starts[line - 1] + col

    def _title_text(self) -> list[str] | None:
        """The first title's text so far, while its <title> is the current element."""
        return self._title if self._stack and self._stack[-1].tag == "title" else None

    # -- tokenizer callbacks ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pos = self._offset()
        length = len(self.get_starttag_text() or "")
        if self._stack and self._stack[-1].tag == "head" and tag not in _HEAD_CONTENT:
            self._pop_to(len(self._stack) - 1, pos, length)  # body content implies </head>
        if tag in _CLOSES_P:
            self._close_in_scope(("p",), _BUTTON_SCOPE, pos, length)
        if tag in _IMPLIED_CLOSE:  # <li>one<li>two, <td>a<td>b
            self._close_in_scope(*_IMPLIED_CLOSE[tag], pos, length)
        if tag in _VOID:
            if tag == "br" and not self._skip:
                self._space(pos, length)
            elif tag == "hr":
                self._boundary(pos, length)
            return
        attr = dict(attrs)
        if tag in ("html", "body") and self.language is None:
            self.language = _language(attr.get("lang") or attr.get("xml:lang"))
        skip = tag in _SKIP or "hidden" in attr or (attr.get("aria-hidden") or "").lower() == "true"
        level = _HEADINGS.get(tag, 0)
        if "heading" in (attr.get("role") or "").lower().split():
            level = _aria_level(attr.get("aria-level"))
        active = not self._skip and not skip
        entry = _Open(tag, pos, skip, level if active and not self._heading else 0)
        if tag not in ("html", "body") and ("lang" in attr or "xml:lang" in attr):
            # lang="" means "unknown": it still ends the language of the element around it.
            entry.language = _language(attr.get("lang") or attr.get("xml:lang")) or ""
            self._languages.append(entry.language)
        entry.block = tag in _ROLES or tag in _HEADINGS or level > 0 or tag in _SKIP_BLOCKS
        if entry.block:
            self._boundary(pos, length)
        if tag in _ROLES and active:
            # <li><p>…</p></li> is still a list item: plain containers inherit their parent's role.
            own = _ROLES[tag]
            inherited = self._roles[-1] if self._roles else BlockRole.PARAGRAPH
            self._roles.append(inherited if own is BlockRole.PARAGRAPH else own)
            entry.in_roles = True
        if tag == "title" and self._title is None and "title" not in self.metadata:
            # The page's title, not the tooltip an <svg><title> gives an icon.
            self._title = None if self._open_at.get("svg") or self._open_at.get("math") else []
        idx = len(self._stack)
        self._stack.append(entry)
        self._open_at.setdefault(tag, []).append(idx)
        for stops, marks in self._marks.items():
            if tag in stops:
                marks.append(idx)
        self._skip += skip
        self._heading += entry.level > 0
        if tag in _CODE and active:
            self._code += 1
            if self._code == 1:
                self._code_from = self._length

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        pos = self._offset()
        close = self.src.find(">", pos)
        length = (close + 1 if close >= 0 else len(self.src)) - pos
        if tag == "br":  # browsers read </br> as <br>
            if not self._skip:
                self._space(pos, length)
        elif tag in ("html", "body") or tag in _VOID:
            return  # browsers keep <body> open to the end of the file
        elif tag in _HEADINGS:  # </h3> closes an open <h2>, as in browsers
            self._close_in_scope(_HEADINGS.keys(), _DEFAULT_SCOPE, pos, length)
        elif tag in _TABLE_PARTS:  # </table> also closes the cell and row it ends in
            self._close_in_scope((tag,), _TABLE_SCOPE, pos, length)
        elif not self._close_in_scope((tag,), _DEFAULT_SCOPE, pos, length) and tag == "p":
            self._boundary(pos, length)  # a stray </p> still breaks the paragraph

    def handle_data(self, data: str) -> None:
        start = self._offset()
        data = self.src[start : start + len(data)]  # the original, not the tokenizer's copy
        if (title := self._title_text()) is not None:
            title.append(html.unescape(data))
        if self._stack and self._stack[-1].tag == "head" and not data.isspace():
            self._pop_to(len(self._stack) - 1, start, 0)  # text implies </head>
        if self._skip:
            return
        done = 0
        if "&" in data:
            for match in _LEFTOVER_REF.finditer(data):
                self._text(data[done : match.start()], start + done)
                self._entity(match.group(), start + match.start())
                done = match.end()
        self._text(data[done:], start + done)

    def handle_entityref(self, name: str) -> None:
        self._reference(1 + len(name))

    def handle_charref(self, name: str) -> None:
        self._reference(2 + len(name))

    def handle_comment(self, data: str) -> None:
        start = self._offset()
        directive = parse_directive(data, self.lines.position(start)[0])
        if directive is None:
            return
        if directive.action == "disable-next-line":
            # "Next line" is the line after the comment, so anchor it on the comment's last line.
            found = self.fed.find(data, start) if data else -1
            end = (found if found >= 0 else start) + len(data)
            directive = replace(directive, line=self.lines.position(end)[0])
        self.directives.append(directive)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![CDATA[…]]>``, Word's ``<![if …]>``: bogus comments to the next ``>``, as in browsers.

        The standard library raises AssertionError on marked sections it does not know
        (``<![foo``, ``<![ x``); a policy with a stray ``<![`` must still parse.
        """
        end = self.rawdata.find(">", i + 3)
        return -1 if end < 0 else end + 1

    # -- tree construction -----------------------------------------------------------------

    def _close_in_scope(self, targets: Collection[str], stops: frozenset[str], pos: int, length: int) -> bool:
        """Close the nearest open element named in ``targets`` unless a ``stops`` element comes first."""
        nearest = -1
        for name in targets:
            at = self._open_at.get(name)
            if at and at[-1] > nearest:
                nearest = at[-1]
        marks = self._marks[stops]
        if nearest < 0 or (marks and marks[-1] > nearest):
            return False
        self._pop_to(nearest, pos, length)
        return True

    def _pop_to(self, idx: int, pos: int, length: int) -> None:
        """Close open elements down to (and including) ``idx``; ``pos``/``length`` is the cause."""
        while len(self._stack) > idx:
            entry = self._stack.pop()
            self._open_at[entry.tag].pop()
            for stops, marks in self._marks.items():
                if entry.tag in stops:
                    marks.pop()
            if entry.tag == "title" and self._title is not None:
                title = " ".join("".join(self._title).split())
                if title:
                    self.metadata["title"] = title
                self._title = None
            self._skip -= entry.skip
            if entry.level:
                self._heading -= 1
                block = self._take(BlockRole.HEADING)
                if block is not None:  # an empty <h2></h2> starts no section
                    line = self.lines.position(entry.start)[0]
                    self.flat.append(FlatHeading(entry.level, block, [], line=line))
            elif entry.block:
                self._boundary(pos, length)
            if entry.in_roles:
                self._roles.pop()
            if entry.language is not None:
                self._languages.pop()
            if entry.tag in _CODE and not entry.skip and not self._skip:
                self._code -= 1
                if not self._code:
                    self._protected.append((self._code_from, self._length))

    def _boundary(self, pos: int, length: int) -> None:
        """A block starts or ends here: end the current block, or add a space inside a heading."""
        if self._skip:
            return
        if self._heading:
            self._space(pos, length)
        else:
            self._flush()

    def _flush(self) -> None:
        block = self._take(self._roles[-1] if self._roles else BlockRole.PARAGRAPH)
        if block is not None:
            self.flat[-1].blocks.append(block)

    # -- text accumulation -----------------------------------------------------------------

    def _reference(self, length: int) -> None:
        start = self._offset()
        if self.src.startswith(";", start + length):
            length += 1
        raw = self.src[start : start + length]
        if (title := self._title_text()) is not None:
            title.append(html.unescape(raw))
        if not self._skip:
            self._entity(raw, start)

    def _entity(self, raw: str, start: int) -> None:
        decoded = html.unescape(raw)
        if decoded == raw:  # "AT&T": not a reference after all
            self._piece(raw, start, len(raw))
            return
        rest = 0  # "&ampAT" is the legacy "&amp" and plain "AT", which maps character by character
        while rest < len(decoded) - 1 and decoded[-1 - rest] == raw[-1 - rest]:
            rest += 1
        ref, char = len(raw) - rest, decoded[: len(decoded) - rest]
        if char.isspace():
            self._space(start, ref)  # &nbsp; reads as a space to every rule
        elif char:
            self._piece(char, start, ref)
        if rest:
            self._piece(raw[ref:], start + ref, rest)

    def _text(self, data: str, start: int) -> None:
        """Add source text, folding each whitespace run into one space as a browser renders it."""
        done = 0
        if data[:1] == " " and not data[1:2].isspace():
            self._space(start, 1)
            done = 1
        for match in _ODD_SPACE.finditer(data, done):
            if match.start() > done:
                self._piece(data[done : match.start()], start + done, match.start() - done)
            self._space(start + match.start(), match.end() - match.start())
            done = match.end()
        if done < len(data):
            self._piece(data[done:], start + done, len(data) - done)

    def _piece(self, text: str, start: int, length: int) -> None:
        if not self._parts:
            self._block_language = self._languages[-1] if self._languages else None
        self._length += len(text)
        self._parts.append(text)
        self._starts.append(start)
        self._lens.append(length)

    def _space(self, start: int, length: int) -> None:
        """One space for any run of whitespace; none at the start of a block or after a space."""
        parts = self._parts
        if not parts:
            return
        if parts[-1] == " ":  # only _space adds a lone " "
            if self._starts[-1] + self._lens[-1] == start:
                self._lens[-1] += length  # widen so the space covers its whole source run
        elif not parts[-1][-1].isspace():
            self._piece(" ", start, length)

    def _take(self, role: BlockRole) -> Block | None:
        """Turn the pending text into a block (trailing whitespace trimmed) and start afresh."""
        parts, starts, lens = self._parts, self._starts, self._lens
        protected, self._protected = self._protected, []
        if self._code:  # code that goes on into the next block
            protected.append((self._code_from, self._length))
            self._code_from = 0
        self._parts, self._starts, self._lens, self._length = [], [], [], 0
        while parts and not parts[-1].strip():
            del parts[-1], starts[-1], lens[-1]
        if not parts:
            return None
        last = parts[-1].rstrip()
        if len(parts[-1]) == lens[-1]:  # verbatim: the source range shrinks with the text
            lens[-1] = len(last)
        parts[-1] = last
        builder = TextBuilder()
        for text, start, length in zip(parts, starts, lens, strict=True):
            builder.replaced(text, start, length)
        block = Block.from_builder(builder, role)
        block.language = self._block_language or None
        end = len(block.text)
        protected = [(a, min(b, end)) for a, b in protected if a < min(b, end)]
        block.protected = sorted(protected + [m.span() for m in _URLISH.finditer(block.text)])
        return block


def parse_html(source: str, path: str) -> Document:
    """Parse an HTML policy into a :class:`Document` of sections, prose blocks and directives."""
    lines = LineIndex(source)
    parser = _PolicyHTMLParser(source, lines)
    parser.run()
    return Document(
        path=path,
        format="html",
        source=source,
        root=build_tree(parser.flat, lines),
        lines=lines,
        metadata=dict(parser.metadata),
        directives=parser.directives,
        language=parser.language,
    )


def html_fragment_blocks(fragment: str, offset: int) -> list[Block]:
    """The prose blocks of an HTML fragment that stands ``offset`` characters into a larger file
    (a raw ``<table>`` or ``<dl>`` in a Markdown policy), with source maps in the file's offsets.

    A heading inside the fragment becomes a plain paragraph: the Markdown's own headings decide
    the sections. Comments are left to the caller, which reads them for directives already.
    """
    parser = _PolicyHTMLParser(fragment, LineIndex(fragment))
    parser.run()
    blocks: list[Block] = []
    for flat in parser.flat:
        if flat.heading is not None:
            blocks.append(
                replace(flat.heading, role=BlockRole.PARAGRAPH, smap=flat.heading.smap.shifted(offset))
            )
        blocks.extend(replace(block, smap=block.smap.shifted(offset)) for block in flat.blocks)
    return blocks
