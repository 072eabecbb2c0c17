"""Live pages (`policylint check https://…`), against a real HTTP server on 127.0.0.1.

The server is the standard library's, in a thread, serving fixture pages; httpx fetches them for
real. Only loopback connections are allowed: ``no_network`` below replaces the suite's, letting
127.0.0.1 through and refusing every other address, and name lookups other than for
"localhost" fail as an unknown host would, so no test ever asks a DNS server.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from conftest import EXAMPLES
from policylint.cli import main

pytest.importorskip("httpx")

SHOP_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Refund policy – Bluefern</title></head>
<body>
<nav><a href="/">Home</a> Hereinafter the shop shall be called the Shop.</nav>
<header>Notwithstanding anything, free shipping shall apply.</header>
<div class="cookie-banner" id="banner">We shall use cookies herein. <button>Accept</button></div>
<main>
<h1>Refund policy</h1>
<p>Last updated: 3 April 2026</p>
<p>We shall refund you within 14 days of receiving the item.</p>
<aside>Prior to returning, please ascertain the box is sealed.</aside>
<div class="cookie-consent">Notwithstanding your choices, cookies herein apply.</div>
</main>
<footer>Herein lie the terms. The aforementioned shall apply.</footer>
</body></html>
"""


HOME_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Bluefern</title></head><body>
<nav><a href="/collections/all">Shop all</a> <a href="/cart">Cart</a></nav>
<main><h1>Welcome</h1><a href="/products/fern">A fern</a></main>
<footer>
<a href="/pages/privatliv#top">Privatlivspolitik</a>
<a href="/personvern">Personvern</a>
<a href="/hr/povrat">Povrat i zamjena</a>
<a href="/et/tagastamine">Tagastamine</a>
<a href="/terms"><span>Terms of service</span></a>
<a href="/private/cookies">Cookies</a>
<a href="https://other.example/shipping">Shipping</a>
</footer></body></html>
"""


def _policy_page(title: str, lang: str) -> bytes:
    body = f"<h1>{title}</h1><p>Last updated: 3 April 2026</p><p>We shall reply within 2 days.</p>"
    return f'<html lang="{lang}"><head><title>{title}</title></head><body><main>{body}</main></body></html>'.encode()


def _pages() -> dict[str, tuple[int, dict[str, str], bytes]]:
    """Path -> status, headers, body of the fixture site."""
    html = "text/html; charset=utf-8"
    privacy = (EXAMPLES / "needs-work" / "privacy-notice.html").read_bytes()
    latin = "<html><body><main><h1>Returpolitik</h1><p>Du får pengene tilbage inden for 14 dage.</p></main></body></html>"
    return {
        "/privacy": (200, {"Content-Type": html}, privacy),
        "/shop/refunds": (200, {"Content-Type": html}, SHOP_PAGE.encode()),
        "/moved": (302, {"Location": "/privacy"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/missing": (404, {"Content-Type": html}, b"<h1>Not found</h1>"),
        "/broken": (500, {"Content-Type": html}, b"<h1>Oops</h1>"),
        "/terms.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
        "/latin1": (200, {"Content-Type": "text/html; charset=iso-8859-1"}, latin.encode("iso-8859-1")),
        "/gzip": (200, {"Content-Type": html, "Content-Encoding": "gzip"}, gzip.compress(privacy)),
        "/": (200, {"Content-Type": html}, HOME_PAGE.encode()),
        "/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"),
        **{
            path: (200, {"Content-Type": html}, _policy_page(title, lang))
            for path, title, lang in [
                ("/pages/privatliv", "Privatlivspolitik", "da"),
                ("/personvern", "Personvern", "nb"),
                ("/hr/povrat", "Povrat i zamjena", "hr"),
                ("/et/tagastamine", "Tagastamine", "et"),
                ("/terms", "Terms of service", "en"),
            ]
        },
        "/huge": (200, {"Content-Type": html}, b"<p>" + b"We shall refund you. " * 20_000 + b"</p>"),
    }


class _Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    requested: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requested.append(self.path)
        if self.path == "/slow":
            time.sleep(3)
        status, headers, body = self.pages.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback only: any other address is refused, and host names other than localhost are unknown."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def loopback(address: Any) -> bool:
        return isinstance(address, tuple) and address[0] in ("127.0.0.1", "localhost")

    def connect(self: socket.socket, address: Any) -> Any:
        if not loopback(address):
            raise AssertionError(f"network access attempted: {address!r}")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", b"127.0.0.1", b"localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    # socket.create_connection (which httpx uses) goes through both of these.
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    _Handler.pages = _pages()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any], str]:
    code = main(["check", "--format", "json", "--no-cache", "--today", "2026-12-06", *args])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _rules(report: dict[str, Any], path: str) -> set[str]:
    return {f["rule"] for f in report["findings"] if f["path"] == path}


def _messages(report: dict[str, Any], path: str) -> list[str]:
    return [f["message"] for f in report["findings"] if f["path"] == path]


def test_a_served_example_gives_the_rule_ids_of_the_file(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    example = EXAMPLES / "needs-work" / "privacy-notice.html"
    code, report, _ = _json([str(example), f"{site}/privacy"], capsys)
    from_file = [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["path"] == str(example)]
    from_page = [
        (f["rule"], f["line"], f["column"]) for f in report["findings"] if f["path"] == f"{site}/privacy"
    ]
    assert from_file and sorted(from_page) == sorted(from_file)
    assert code == 0  # warnings only, as for the file


def test_a_served_markdown_example_rendered_as_html_gives_its_rule_ids(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The Markdown example as a shop would publish it (rendered, in a page with a menu and footer)."""
    from markdown_it import MarkdownIt

    example = EXAMPLES / "needs-work" / "service-policy.md"
    body = MarkdownIt("commonmark").enable("table").render(example.read_text(encoding="utf-8"))
    page = (
        f'<html lang="en"><body><nav>Shop</nav><main>{body}</main><footer>Hereinafter</footer></body></html>'
    )
    _Handler.pages["/service"] = (200, {"Content-Type": "text/html; charset=utf-8"}, page.encode())
    _, report, _ = _json([str(example), f"{site}/service"], capsys)
    assert _rules(report, f"{site}/service") == _rules(report, str(example))


def test_positions_point_into_the_saved_fetched_html(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report, _ = _json(["--save-fetched", str(tmp_path), f"{site}/shop/refunds"], capsys)
    saved = tmp_path / "127.0.0.1_{}_shop_refunds.html".format(site.rsplit(":", 1)[1])
    lines = saved.read_text(encoding="utf-8").split("\n")
    legalese = [f for f in report["findings"] if f["rule"] == "jargon.legalese"]
    assert legalese
    for finding in legalese:
        line = lines[finding["line"] - 1]
        assert line[finding["column"] - 1 :].lower().startswith("shall")
    note = json.loads(saved.with_name(saved.name.replace(".html", ".json")).read_text(encoding="utf-8"))
    assert note["url"] == f"{site}/shop/refunds" and note["content"] == "main"
    assert saved.with_name(saved.name.replace(".html", ".checked.html")).exists()


def test_navigation_footer_aside_and_cookie_banners_are_dropped(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report, _ = _json([f"{site}/shop/refunds"], capsys)
    lines = {f["line"] for f in report["findings"] if f["rule"].startswith("jargon.")}
    page = SHOP_PAGE.split("\n")
    # Only the main content's "We shall refund you" line: the menu, header, banners, aside and
    # footer are full of jargon too.
    assert {page[line - 1][:20] for line in lines} == {"<p>We shall refund y"}


def test_remove_selector_replaces_the_default_drops(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = _json(["--remove-selector", ".cookie-consent", f"{site}/shop/refunds"], capsys)
    page = SHOP_PAGE.split("\n")
    lines = {page[f["line"] - 1][:12] for f in report["findings"] if f["rule"].startswith("jargon.")}
    assert "<aside>Prior" in lines  # the aside is kept now
    assert not any("cookie" in line for line in lines)


def test_content_selector_picks_the_checked_part(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = _json(
        ["--content-selector", "div#banner", "--remove-selector", "button", f"{site}/shop/refunds"], capsys
    )
    page = SHOP_PAGE.split("\n")
    lines = {page[f["line"] - 1][:12] for f in report["findings"] if f["rule"].startswith("jargon.")}
    assert lines == {'<div class="'}


def test_a_selector_outside_the_subset_is_a_usage_error(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", "--no-cache", "--content-selector", "main:first-child", f"{site}/privacy"])
    err = capsys.readouterr().err
    assert code == 2 and "':first-child' in 'main:first-child' is not supported" in err


def test_a_content_selector_that_matches_nothing_names_the_page(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report, _ = _json(["--content-selector", "#policy-text", f"{site}/privacy"], capsys)
    assert code == 1
    assert _messages(report, f"{site}/privacy") == [
        f"{site}/privacy --content-selector '#policy-text' matches nothing on the page"
    ]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "answered HTTP 404 Not Found; not checked"),
        ("/broken", "answered HTTP 500 Internal Server Error; not checked"),
        ("/terms.pdf", "is application/pdf, not an HTML page; not checked"),
        ("/loop", "redirects more than 5 times; not checked"),
    ],
)
def test_failures_are_one_line_naming_the_url_and_other_inputs_are_checked(
    site: str, path: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    example = EXAMPLES / "needs-work" / "privacy-notice.html"
    code, report, _ = _json([f"{site}{path}", str(example)], capsys)
    failed = [f for f in report["findings"] if f["path"] == f"{site}{path}"]
    assert [(f["rule"], f["message"]) for f in failed] == [("io.unreadable", f"{site}{path} {reason}")]
    assert _rules(report, str(example))  # still checked
    assert code == 1  # as for a file that cannot be read


def test_a_redirect_is_followed(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = _json([f"{site}/moved"], capsys)
    assert "jargon.legalese" in _rules(report, f"{site}/moved")


def test_a_slow_page_times_out(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, report, _ = _json(["--fetch-timeout", "0.5", f"{site}/slow"], capsys)
    assert time.monotonic() - started < 2.5
    assert _messages(report, f"{site}/slow") == [
        f"{site}/slow did not answer within 0.5 s (timeout); not checked"
    ]
    assert code == 1


def test_a_page_above_the_size_limit_is_not_checked(
    site: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "policylint.toml").write_text("max_file_bytes = 100000\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, report, _ = _json([f"{site}/huge", f"{site}/privacy"], capsys)
    assert _messages(report, f"{site}/huge") == [
        f"{site}/huge is larger than the limit of 100,000 bytes (`max_file_bytes` in the config); not checked"
    ]
    assert "jargon.legalese" in _rules(report, f"{site}/privacy")


def test_the_charset_given_only_in_the_header_is_used(
    site: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from policylint.fetch import fetch

    page = fetch(f"{site}/latin1", max_bytes=100_000)
    assert "Du får pengene" in page.text and page.encoding == "iso-8859-1"
    _json(["--save-fetched", str(tmp_path), f"{site}/latin1"], capsys)
    assert "Du får pengene" in "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*latin1.html"))


def test_the_charset_given_only_in_the_document_is_used() -> None:
    from policylint.fetch import _decode

    body = '<html><head><meta charset="windows-1252"></head><body>Kundeservice – vi svarer</body></html>'
    text, encoding = _decode(body.encode("windows-1252"), None)
    assert "Kundeservice – vi svarer" in text and encoding == "windows-1252"


def test_a_gzip_page_gives_the_findings_of_the_plain_one(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report, _ = _json([f"{site}/gzip", f"{site}/privacy"], capsys)
    assert _rules(report, f"{site}/gzip") == _rules(report, f"{site}/privacy")


def test_a_tls_failure_is_named(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    url = site.replace("http://", "https://") + "/privacy"  # the server speaks plain HTTP
    _, report, _ = _json([url], capsys)
    [message] = _messages(report, url)
    assert message.startswith(f"{url} could not be reached: TLS failed")


def test_an_unknown_host_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://shop.invalid/pages/refund-policy"
    code, report, _ = _json([url], capsys)
    [message] = _messages(report, url)
    assert message.startswith(f"{url} could not be reached: the host name was not found")
    assert code == 1


def test_without_httpx_a_url_names_the_extra(
    site: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "httpx", None)  # as if policylint[web] were not installed
    code = main(["check", "--no-cache", f"{site}/privacy"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip() == (
        "policylint: error: checking a URL needs httpx, which the `web` extra installs: "
        "pip install 'policylint[web]'"
    )


SITE_PAGES = ["/pages/privatliv", "/personvern", "/hr/povrat", "/et/tagastamine", "/terms"]


def test_site_checks_the_policy_links_of_the_home_page_in_every_language(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _Handler.requested.clear()
    _, report, err = _json(["--site", site, "--site-delay", "0"], capsys)
    assert sorted(f["path"] for f in report["files"]) == sorted(site + p for p in SITE_PAGES)
    assert "jargon.legalese" in _rules(report, f"{site}/terms")
    # cookies is linked (robots.txt forbids fetching it), shipping only on another site.
    assert f"policylint: warning: {site} links to no page about: shipping, contact" in err
    assert f"{site}/private/cookies (cookies): disallowed by robots.txt" in err
    assert "https://other.example/shipping (shipping): another site" in err
    assert "/private/cookies" not in _Handler.requested and "/collections/all" not in _Handler.requested
    assert _Handler.requested[0] == "/robots.txt"


def test_site_stops_at_the_page_limit_and_waits_between_requests(
    site: str, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    _, report, err = _json(["--site", site, "--site-max-pages", "2", "--site-delay", "0.3"], capsys)
    assert len(report["files"]) == 2
    assert "over the limit of 2 pages" in err
    assert time.monotonic() - started >= 0.9  # home page and two policy pages, 0.3 s before each


def test_site_whose_home_page_fails_names_it(site: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = _json(["--site", f"{site}/missing", "--site-delay", "0"], capsys)
    assert _messages(report, f"{site}/missing") == [
        f"{site}/missing answered HTTP 404 Not Found; not checked"
    ]
    assert code == 1
