"""The main content of a fetched page: the policy, without the shop's menus, banners and footer.

A web page wraps its policy in navigation, a header, a footer, sidebars and a cookie banner;
findings there are not about the policy. We keep the page's main content (the first
``<main>``, else the first ``role="main"``, else the first ``<article>``) and drop ``<aside>``
and cookie/consent banners inside it, or do what ``--content-selector`` and
``--remove-selector`` say, as Open Terms Archive's declarations select the terms in a page.

Nothing is cut out: what is dropped is overwritten with spaces (newlines kept), so the text the
HTML parser reads has the same length and line breaks as the fetched page, and every finding's
line and column point into the fetched HTML as it was saved with ``--save-fetched``.

CSS selectors: a deliberately small, documented subset (no dependency, exact source ranges,
which no selector library gives): type ``div``, universal ``*``, ``#id``, ``.class``,
attributes ``[a]`` ``[a=v]`` ``[a~=v]`` ``[a*=v]`` ``[a^=v]`` ``[a$=v]`` ``[a|=v]``, compounds of
these, the descendant (space) and child (``>``) combinators, and comma-separated lists.
Anything else (pseudo-classes, sibling combinators) is refused with a message, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .parsers.html import _VOID  # the same void elements as the parser that reads the page

#: The page's main content, in the order they are tried.
MAIN_SELECTORS = ("main", "[role=main]", "article")
#: Dropped from the main content by default. ``nav``, ``header`` and ``footer`` are skipped by
#: the HTML parser wherever they are; asides and consent banners are dropped here.
_BANNER_WORDS = (
    "cookie-banner cookie-consent cookie-notice cookie-bar cookiebar cookie-popup cookie-law "
    "cookies-banner cookies-consent cookie_banner cookie_consent cookie_notice consent-banner "
    "consent-manager cookieconsent onetrust cookiebot cc-window cc-banner gdpr-banner gdpr-cookie"
)
DEFAULT_REMOVE = ", ".join(
    ["nav", "header", "footer", "aside", "[role=navigation]", "[role=banner]", "[role=contentinfo]"]
    + [f"[id*={word}], [class*={word}]" for word in _BANNER_WORDS.split()]
)


class SelectorError(ValueError):
    """A selector outside the supported subset; the message says which part."""


@dataclass(slots=True)
class Element:
    """An element of the page with the source range it spans, start tag to end tag inclusive."""

    tag: str
    attrs: dict[str, str]
    start: int
    end: int = -1
    parent: Element | None = None
    children: list[Element] = field(default_factory=list)


class _Tree(HTMLParser):
    """Elements with their source ranges. Tree construction is the simple kind: an end tag
    closes the nearest open element of its name (and what is open inside it); an element never
    closed ends where its parent ends. That is exact for the well-formed containers selectors
    pick (main, article, nav, div…) and harmless for unclosed ``<p>`` and ``<li>``."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.src = source
        self._nl = [0, *(m.end() for m in re.finditer("\n", source))]
        self.root = Element("#document", {}, 0, len(source))
        self._stack = [self.root]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._nl[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        start = self._offset()
        parent = self._stack[-1]
        element = Element(tag, {k: v or "" for k, v in attrs}, start, parent=parent)
        parent.children.append(element)
        if tag in _VOID:
            element.end = start + len(self.get_starttag_text() or "")
        else:
            self._stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and self._stack[-1].tag == tag:
            self._stack[-1].end = self._offset() + len(self.get_starttag_text() or "")
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        at = next((i for i in range(len(self._stack) - 1, 0, -1) if self._stack[i].tag == tag), None)
        if at is None:
            return  # a stray end tag
        close = self.src.find(">", self._offset())
        end = close + 1 if close >= 0 else len(self.src)
        while len(self._stack) > at:
            self._stack.pop().end = end

    def finish(self) -> Element:
        self.close()
        while len(self._stack) > 1:
            self._stack.pop().end = len(self.src)
        return self.root


def parse_tree(source: str) -> Element:
    tree = _Tree(source)
    tree.feed(source)
    return tree.finish()


# -- selectors ---------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:(?P<comb>>)|(?P<tag>[A-Za-z][\w-]*|\*)|\#(?P<id>[\w-]+)|\.(?P<cls>[\w-]+)
    |\[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[~*^$|]?=)\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\]\s]+))\s*)?\])""",
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Simple:
    tag: str | None = None
    id: str | None = None
    classes: tuple[str, ...] = ()
    attrs: tuple[tuple[str, str | None, str], ...] = ()  # name, operator, value

    def matches(self, el: Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.attrs.get("id") != self.id:
            return False
        own = el.attrs.get("class", "").split()
        if any(c not in own for c in self.classes):
            return False
        return all(_attr_matches(el.attrs.get(name), op, value) for name, op, value in self.attrs)


def _attr_matches(actual: str | None, op: str | None, value: str) -> bool:
    if actual is None:
        return False
    if op is None:
        return True
    actual, value = actual.lower(), value.lower()  # ids and classes of banners vary in case
    if op == "=":
        return actual == value
    if op == "~=":
        return value in actual.split()
    if op == "|=":
        return actual == value or actual.startswith(value + "-")
    if not value:
        return False
    return {"*=": value in actual, "^=": actual.startswith(value), "$=": actual.endswith(value)}[op]


# A complex selector: compounds from left to right, each with the combinator before it.
_Complex = tuple[tuple[str, _Simple], ...]


def parse_selector(text: str) -> list[_Complex]:
    """Parse a comma-separated selector list; raises :class:`SelectorError` outside the subset."""
    result = [_parse_complex(part.strip(), text) for part in text.split(",")]
    return result


def _parse_complex(part: str, whole: str) -> _Complex:
    if not part:
        raise SelectorError(f"empty selector in {whole!r}")
    compounds: list[tuple[str, _Simple]] = []
    combinator, current, pending = " ", _Building(), False
    pos = 0
    while pos < len(part):
        match = _TOKEN.match(part, pos)
        if match is None or match.end() == pos:
            raise SelectorError(
                f"{part[pos:].strip()!r} in {whole!r} is not supported "
                "(type, #id, .class, [attr], [attr=value], *=, ^=, $=, ~=, |=, descendant and > only)"
            )
        if pending and (match.group("comb") or match.group(0)[:1].isspace()):
            compounds.append((combinator, current.done()))
            combinator, current, pending = " ", _Building(), False
        if match.group("comb"):
            if not compounds:
                raise SelectorError(f"{whole!r} starts with a combinator")
            combinator = ">"
        else:
            current.add(match, whole, pending)
            pending = True
        pos = match.end()
    if not pending:
        raise SelectorError(f"{whole!r} ends with a combinator")
    compounds.append((combinator, current.done()))
    return tuple(compounds)


@dataclass(slots=True)
class _Building:
    """A compound selector while its simple selectors are read."""

    tag: str | None = None
    id: str | None = None
    classes: list[str] = field(default_factory=list)
    attrs: list[tuple[str, str | None, str]] = field(default_factory=list)

    def add(self, match: re.Match[str], whole: str, pending: bool) -> None:
        if match.group("tag"):
            if pending:
                raise SelectorError(f"a type selector must come first in its compound in {whole!r}")
            self.tag = None if match.group("tag") == "*" else match.group("tag").lower()
        elif match.group("id"):
            self.id = match.group("id")
        elif match.group("cls"):
            self.classes.append(match.group("cls"))
        else:
            value = next((v for v in match.group("dq", "sq", "bare") if v is not None), "")
            self.attrs.append((match.group("attr").lower(), match.group("op"), value))

    def done(self) -> _Simple:
        return _Simple(self.tag, self.id, tuple(self.classes), tuple(self.attrs))


def _matches(el: Element, compounds: _Complex) -> bool:
    """Right to left, as browsers match: the last compound on ``el``, the rest on its ancestors."""
    combinator, simple = compounds[-1]
    if not simple.matches(el):
        return False
    if len(compounds) == 1:
        return True
    rest = compounds[:-1]
    parent = el.parent
    if combinator == ">":
        return parent is not None and parent.tag != "#document" and _matches(parent, rest)
    while parent is not None and parent.tag != "#document":
        if _matches(parent, rest):
            return True
        parent = parent.parent
    return False


def select(root: Element, selectors: list[_Complex], *, outermost: bool = False) -> list[Element]:
    """Elements matching any selector, in document order; ``outermost`` skips matches inside a match."""
    found: list[Element] = []
    todo = list(reversed(root.children))
    while todo:
        el = todo.pop()
        if any(_matches(el, s) for s in selectors):
            found.append(el)
            if outermost:
                continue
        todo.extend(reversed(el.children))
    return found


# -- the main content --------------------------------------------------------------------------


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "


def main_content(
    source: str, content_selector: str | None = None, remove_selector: str | None = None
) -> tuple[str, str]:
    """The page with everything but its main content blanked out, and a note of what was kept.

    The result has the length and line breaks of ``source``. ``<head>`` and the ``<html>`` and
    ``<body>`` start tags stay, so the title and the page's language still count. When neither
    a ``content_selector`` nor a default main element matches, the whole body is kept.
    """
    root = parse_tree(source)
    chosen: list[Element] = []
    kept = "the whole page (no <main>, role=main or <article>)"
    if content_selector:
        chosen = select(root, parse_selector(content_selector), outermost=True)
        if not chosen:
            raise SelectorError(f"--content-selector {content_selector!r} matches nothing on the page")
        kept = content_selector
    else:
        for candidate in MAIN_SELECTORS:
            chosen = select(root, parse_selector(candidate), outermost=True)[:1]
            if chosen:
                kept = candidate
                break
    chars = list(source)
    if chosen:
        _blank_outside(chars, root, chosen)
    removals = parse_selector(remove_selector if remove_selector is not None else DEFAULT_REMOVE)
    scope = chosen or [root]
    for el in select(root, removals, outermost=True):
        if any(c.start <= el.start and el.end <= c.end for c in scope):
            _blank(chars, el.start, el.end)
    return "".join(chars), kept


def _blank_outside(chars: list[str], root: Element, chosen: list[Element]) -> None:
    """Blank the body outside the chosen elements, keeping <head> and the html/body start tags."""
    keep: list[tuple[int, int]] = [(el.start, el.end) for el in chosen]
    todo = [root]
    while todo:  # the document's own frame: head, and the start tags of html and body
        el = todo.pop()
        for child in el.children:
            if child.tag == "head":
                keep.append((child.start, child.end))
            elif child.tag in ("html", "body"):
                close = "".join(chars[child.start : child.end]).find(">")
                keep.append((child.start, child.start + close + 1))
                todo.append(child)
    keep.sort()
    done = 0
    for start, end in keep:
        if start > done:
            _blank(chars, done, start)
        done = max(done, end)
    _blank(chars, done, len(chars))
