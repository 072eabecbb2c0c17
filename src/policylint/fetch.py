"""Live pages: fetch a policy from its URL, the page a customer actually reads.

Kept apart from the rest so that the base install stays light: httpx is imported here only, and
only ``policylint[web]`` installs it. A missing extra, a failed request and a page that is not a
policy page are each one clear line naming the URL, never a traceback, so a CI job that checks
the shop's live pages alongside its files says which input failed while the others are still
checked (the failure is an ``io.unreadable`` finding, exactly as for a file that cannot be read).

Bounded by design: a total timeout, a size limit counted on the *decoded* body (so a small gzip
bomb is cut off as early as a large page), and a redirect limit.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .reader import ReadError, decode

if TYPE_CHECKING:
    from .config import Config
    from .engine import CheckedFile

#: Seconds for connecting, and for each read; a slow server fails with a clear message.
DEFAULT_TIMEOUT = 20.0
#: Redirects followed before giving up (browsers allow about 20; a policy link needs few).
DEFAULT_MAX_REDIRECTS = 5
USER_AGENT = "policylint (+https://policylint.invalid/docs/live-pages)"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# <meta charset="…"> or <meta http-equiv="Content-Type" content="…; charset=…">, in the first
# bytes of the document as the HTML standard's prescan reads them.
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 4096


class FetchError(Exception):
    """A page that cannot be checked; the message says why, for the finding that reports it."""


class MissingExtraError(Exception):
    """httpx is not installed: the message names the extra that installs it."""


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """A fetched page: its text as checked, and what was learnt about it on the way."""

    url: str
    final_url: str
    text: str
    encoding: str
    status: int
    content_type: str
    redirects: list[str] = field(default_factory=list)


def is_url(argument: str) -> bool:
    """True for an ``http://`` or ``https://`` argument, which is fetched rather than opened."""
    return argument.lower().startswith(("http://", "https://"))


def _httpx() -> Any:
    try:
        import httpx
    except ImportError:
        raise MissingExtraError(
            "checking a URL needs httpx, which the `web` extra installs: pip install 'policylint[web]'"
        ) from None
    return httpx


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    max_redirects: int = DEFAULT_MAX_REDIRECTS,
    accept_text: bool = False,
) -> FetchedPage:
    """GET ``url`` and decode it; raises :class:`FetchError` with a one-line reason otherwise.
    ``accept_text`` also takes ``text/plain`` (robots.txt)."""
    httpx = _httpx()
    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=max_redirects,
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            return _read(url, response, max_bytes, accept_text)
    except FetchError:
        raise
    except httpx.TooManyRedirects:
        raise FetchError(f"redirects more than {max_redirects} times; not checked") from None
    except httpx.TimeoutException:
        raise FetchError(f"did not answer within {timeout:g} s (timeout); not checked") from None
    except httpx.ConnectError as exc:
        raise FetchError(f"could not be reached: {_connect_reason(exc)}") from None
    except httpx.InvalidURL as exc:
        raise FetchError(f"is not a valid URL: {exc}") from None
    except httpx.HTTPError as exc:  # protocol errors, a dropped connection, bad gzip…
        raise FetchError(f"could not be fetched: {type(exc).__name__}: {exc}") from None


def _connect_reason(exc: Exception) -> str:
    """DNS and TLS failures in words a shop owner recognises; the library's text otherwise."""
    text = str(exc)
    lowered = text.lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return f"TLS failed ({text})"
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        return f"the host name was not found (DNS: {text})"
    if "temporary failure in name resolution" in lowered or "no address associated" in lowered:
        return f"the host name was not found (DNS: {text})"
    if "refused" in lowered:
        return f"the connection was refused ({text})"
    return text or type(exc).__name__


def _read(url: str, response: Any, max_bytes: int, accept_text: bool = False) -> FetchedPage:
    """Check the status and type, then read at most ``max_bytes`` decoded bytes."""
    if response.status_code >= 400:
        raise FetchError(f"answered HTTP {response.status_code} {response.reason_phrase}; not checked")
    content_type = response.headers.get("content-type", "")
    mime = content_type.split(";")[0].strip().lower()
    if mime and mime not in _HTML_TYPES and not (accept_text and mime == "text/plain"):
        raise FetchError(f"is {mime}, not an HTML page; not checked")
    body = bytearray()
    for chunk in response.iter_bytes():  # decoded: gzip and deflate are undone here
        body += chunk
        if len(body) > max_bytes:
            raise FetchError(
                f"is larger than the limit of {max_bytes:,} bytes (`max_file_bytes` in the config); not checked"
            )
    text, encoding = _decode(bytes(body), response.charset_encoding)
    return FetchedPage(
        url=url,
        final_url=str(response.url),
        text=text,
        encoding=encoding,
        status=response.status_code,
        content_type=content_type,
        redirects=[str(r.url) for r in response.history],
    )


def _decode(body: bytes, header_charset: str | None) -> tuple[str, str]:
    """The charset the header names, else the one the document declares, else detection.

    A name Python does not know, or bytes that are not valid in the named charset, fall through
    to the same detection files get, rather than failing the page.
    """
    for declared in (header_charset, _meta_charset(body)):
        if not declared:
            continue
        try:
            name = codecs.lookup(declared).name
            return body.decode(name), declared.lower()
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        source = decode(body)
    except ReadError as exc:
        raise FetchError(str(exc)) from None
    return source.text, source.encoding


def _meta_charset(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


@dataclass(frozen=True, slots=True)
class PageOptions:
    """How pages are fetched and which part of each is checked (the ``check`` options)."""

    timeout: float = DEFAULT_TIMEOUT
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    content_selector: str | None = None
    remove_selector: str | None = None
    save_dir: Path | None = None


def check_page(url: str, config: Config, options: PageOptions) -> tuple[CheckedFile, str | None]:
    """Fetch and check one page: its result, and the fetched HTML its positions point into
    (None when it could not be fetched, in which case the result is an ``io.unreadable`` finding)."""
    from .engine import CheckedFile, check_source, read_error_finding
    from .findings import FileReport
    from .webcontent import SelectorError, main_content

    try:
        page = fetch(
            url, max_bytes=config.max_file_bytes, timeout=options.timeout, max_redirects=options.max_redirects
        )
        checked_text, kept = main_content(page.text, options.content_selector, options.remove_selector)
    except (FetchError, SelectorError) as exc:
        return CheckedFile(
            FileReport(path=url, format="html"), [read_error_finding(url, str(exc), config)]
        ), None
    if options.save_dir is not None:
        save_page(options.save_dir, page, checked_text, kept, options)
    return check_source(checked_text, "html", url, config, page.encoding), page.text


def saved_name(url: str) -> str:
    """A file name for a URL: host and path, with anything a file system dislikes as ``_``."""
    parts = urlsplit(url)
    path = re.sub(r"\.x?html?$", "", parts.path.strip("/"), flags=re.IGNORECASE) or "index"
    if parts.query:
        path += "_" + parts.query
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"{parts.hostname or 'page'}_{parts.port or ''}_{path}")
    return re.sub(r"_+", "_", name).strip("_")[:180]


def save_page(directory: Path, page: FetchedPage, checked_text: str, kept: str, options: PageOptions) -> None:
    """Keep what was checked: the page as fetched (decoded, UTF-8: findings' lines and columns
    point into it), the text the rules read (the same, with what was dropped blanked), and a
    note of where and when it came from."""
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / saved_name(page.url)
    stem.with_name(stem.name + ".html").write_text(page.text, encoding="utf-8", newline="")
    stem.with_name(stem.name + ".checked.html").write_text(checked_text, encoding="utf-8", newline="")
    note = {
        "url": page.url,
        "final_url": page.final_url,
        "redirects": page.redirects,
        "status": page.status,
        "content_type": page.content_type,
        "encoding": page.encoding,
        "fetched_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "content": kept,
        "content_selector": options.content_selector,
        "remove_selector": options.remove_selector,
    }
    stem.with_name(stem.name + ".json").write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8")
