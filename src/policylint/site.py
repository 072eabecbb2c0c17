"""Discovery: ``--site URL`` finds a shop's policy pages the way a customer does, from its home page.

A customer looks at the home page (usually its footer) for "Privacy", "Returns", "Fortrydelsesret",
"Personvern", "Povrat", "Tagastamine"… and follows the link. We do the same: every link of the
home page whose text (or, failing that, the last part of its path) names a policy kind in *any*
installed language pack is followed. The words come from the packs (the section-kind titles and
the profile titles), never from this module, so a new language pack is discovered too.

Bounded and polite by design: same host only, at most ``max_pages`` pages, robots.txt obeyed
(for our user agent, and ``*``), and a delay between requests.
"""

from __future__ import annotations

import re
import time
import urllib.robotparser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .classify import compiled_phrases
from .fetch import USER_AGENT, FetchError, fetch
from .packs import Catalog

#: What a shop is expected to link to, with the vocabulary that names each: a section kind's
#: titles or a profile's titles, in every language pack.
EXPECTED = {
    "privacy": ("section_kinds", "privacy"),
    "returns": ("section_kinds", "returns"),
    "shipping": ("section_kinds", "shipping"),
    "terms": ("profiles", "terms"),
    "cookies": ("section_kinds", "cookies"),
    "contact": ("section_kinds", "contact"),
}
#: Followed when linked, but a shop need not have them.
OPTIONAL = {"customer-service": ("profiles", "customer-service")}
DEFAULT_MAX_PAGES = 20
DEFAULT_DELAY = 1.0


@dataclass(slots=True)
class Discovery:
    """What the home page links to: the policy pages to check and the kinds nobody links to."""

    home: str
    pages: dict[str, list[str]] = field(default_factory=dict)  # url -> kinds its link names
    missing: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line per page left out, and why


class _Links(HTMLParser):
    """``<a href>`` elements with their visible text (and ``aria-label``/``title`` as a fallback)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._open: list[list[str]] = []
        self._hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            return
        attr = {k: v or "" for k, v in attrs}
        if "href" in attr:
            self._hrefs.append(attr["href"])
            self._open.append([attr.get("aria-label", ""), attr.get("title", "")])

    def handle_data(self, data: str) -> None:
        if self._open:
            self._open[-1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self.links.append((self._hrefs.pop(), " ".join(" ".join(self._open.pop()).split())))


def page_links(html: str, base: str) -> list[tuple[str, str]]:
    """(absolute URL without fragment, link text) for every link of the page, in order."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return [(urldefrag(urljoin(base, href.strip())).url, text) for href, text in parser.links]


def _vocabulary(catalog: Catalog) -> dict[str, list[re.Pattern[str]]]:
    """kind -> the compiled title patterns naming it, one per language pack that has words for it."""
    found: dict[str, list[re.Pattern[str]]] = {}
    for kind, (table, name) in {**EXPECTED, **OPTIONAL}.items():
        for pack in catalog.languages.values():
            vocab = getattr(pack, table).get(name)
            pattern = compiled_phrases(tuple(vocab.title)) if vocab is not None else None
            if pattern is not None:
                found.setdefault(kind, []).append(pattern)
    return found


def kinds_named(text: str, url: str, vocabulary: dict[str, list[re.Pattern[str]]]) -> list[str]:
    """The policy kinds a link names: by its text, else by the last part of its path."""
    slug = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]).replace("-", " ").replace("_", " ")
    for candidate in (text, slug):
        kinds = [k for k, patterns in vocabulary.items() if any(p.search(candidate) for p in patterns)]
        if kinds:
            return kinds
    return []


def _same_site(url: str, home: str) -> bool:
    a, b = urlsplit(url), urlsplit(home)
    return (
        a.scheme in ("http", "https")
        and (a.hostname or "").removeprefix("www.") == (b.hostname or "").removeprefix("www.")
        and a.port == b.port
    )


def robots_for(home: str, timeout: float, max_bytes: int) -> urllib.robotparser.RobotFileParser:
    """The site's robots.txt; a site without one (or one we cannot read) allows everything."""
    parts = urlsplit(home)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    robots = urllib.robotparser.RobotFileParser(robots_url)
    try:
        text = fetch(robots_url, max_bytes=max_bytes, timeout=timeout, accept_text=True).text
    except FetchError:
        text = ""
    robots.parse(text.splitlines())
    return robots


def discover_site(
    home: str,
    catalog: Catalog,
    *,
    max_pages: int = DEFAULT_MAX_PAGES,
    delay: float = DEFAULT_DELAY,
    timeout: float = 20.0,
    max_bytes: int = 5_000_000,
    sleep: Callable[[float], None] = time.sleep,
) -> Discovery:
    """Read the home page and pick the policy links; raises :class:`FetchError` when it cannot be read."""
    robots = robots_for(home, timeout, max_bytes)
    if not robots.can_fetch(USER_AGENT, home):
        raise FetchError("is disallowed by the site's robots.txt; not checked")
    sleep(delay)
    page = fetch(home, max_bytes=max_bytes, timeout=timeout)
    found = Discovery(home=home)
    vocabulary = _vocabulary(catalog)
    for url, text in page_links(page.text, page.final_url):
        if url in found.pages or url.rstrip("/") == page.final_url.rstrip("/"):
            continue
        kinds = kinds_named(text, url, vocabulary)
        if not kinds:
            continue
        if not _same_site(url, page.final_url):
            found.skipped.append(f"{url} ({', '.join(kinds)}): another site")
        elif not robots.can_fetch(USER_AGENT, url):
            found.skipped.append(f"{url} ({', '.join(kinds)}): disallowed by robots.txt")
        elif len(found.pages) >= max_pages:
            found.skipped.append(f"{url} ({', '.join(kinds)}): over the limit of {max_pages} pages")
        else:
            found.pages[url] = kinds
    named = {kind for kinds in found.pages.values() for kind in kinds}
    named |= {kind for line in found.skipped if "robots.txt" in line for kind in _kinds_of(line)}
    found.missing = [kind for kind in EXPECTED if kind not in named]
    return found


def _kinds_of(line: str) -> Iterable[str]:
    return line.split(" (", 1)[1].split(")", 1)[0].split(", ")
