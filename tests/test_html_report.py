"""``--format html``: structure, counts, escaping and determinism, plus a real headless browser.

The structure tests read the page with the standard library's ``html.parser`` (the same way a
browser tokenises it), so an escaping bug shows up as an extra element, not as a string match
that happens to pass. The browser test renders the examples through the CLI, lets Chromium run
the page's JavaScript, and checks the filters on the live DOM; it skips when no Chromium-family
browser is installed (CI installs Debian's chromium when apt is available).
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

import policylint
from conftest import ROOT, TODAY
from policylint.config import Config
from policylint.engine import catalog_for
from policylint.findings import FileReport, Finding, Report, Severity
from policylint.readability import score
from policylint.reporters import REPORTERS, RenderOptions, get_reporter
from policylint.reporters.html import JS, MIN_SECTION_WORDS, render_html

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
XSS = "<script>alert(1)</script>"


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def walk(self) -> list[Node]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def find(self, tag: str, **attrs: str) -> list[Node]:
        """Descendants with this tag whose attributes contain the given values (class: one word)."""

        def ok(node: Node) -> bool:
            for key, want in attrs.items():
                have = node.attrs.get(key.rstrip("_"))
                if (
                    have is None
                    or (key == "class_" and want not in have.split())
                    or (key != "class_" and have != want)
                ):
                    return False
            return node.tag == tag

        return [n for n in self.walk()[1:] if ok(n)]

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)


class TreeBuilder(HTMLParser):
    """A minimal DOM: enough to count elements and read their text and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].text.append(data)


def dom(page: str) -> Node:
    builder = TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def source_of(path: str) -> str | None:
    candidate = ROOT / path
    return candidate.read_text("utf-8") if candidate.is_file() else None


def examples_report() -> Report:
    cwd = Path.cwd()
    os.chdir(ROOT)  # relative paths, as the CLI reports them
    try:
        return policylint.check_paths(["examples"], {"today": TODAY})
    finally:
        os.chdir(cwd)


def render(report: Report, options: RenderOptions | None = None) -> str:
    buffer = io.StringIO()
    get_reporter("html")(report, buffer, options or RenderOptions())
    return buffer.getvalue()


def full_options() -> RenderOptions:
    return RenderOptions(source_of=source_of, extra={"catalog": catalog_for(Config())})


@pytest.fixture(scope="module")
def report() -> Report:
    return examples_report()


@pytest.fixture(scope="module")
def page(report: Report) -> Node:
    return dom(render(report, full_options()))


def card(page: Node, path: str) -> Node:
    (found,) = [c for c in page.find("section", class_="document") if c.find("h2")[0].all_text() == path]
    return found


def test_registered_and_offered_by_the_cli() -> None:
    assert "html" in REPORTERS
    help_text = subprocess.run(
        [sys.executable, "-m", "policylint.cli", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "html" in help_text


def test_one_scorecard_per_file_with_its_facts(report: Report, page: Node) -> None:
    cards = page.find("section", class_="document")
    assert [c.find("h2")[0].all_text() for c in cards] == sorted(f.path for f in report.files)
    assert len(page.find("h1")) == 1
    for file in report.files:
        facts = {
            dt.all_text(): dd.all_text()
            for dt, dd in zip(card(page, file.path).find("dt"), card(page, file.path).find("dd"), strict=True)
        }
        assert facts["Words"] == str(file.words)
        assert facts["Sections found"] == str(len(file.sections))
        assert f"({file.profile})" in facts["Profile"]
        assert facts["Language"] == "English (en)"


def test_finding_rows_and_counts_match_the_report(report: Report, page: Node) -> None:
    rows = page.find("tr")
    rows = [r for r in rows if "data-severity" in r.attrs]
    assert Counter(r.attrs["data-severity"] for r in rows) == Counter(
        f.severity.value for f in report.findings
    )
    for file in report.files:
        mine = [f for f in report.findings if f.path == file.path]
        shown = [r for r in card(page, file.path).find("tr") if "data-severity" in r.attrs]
        assert len(shown) == len(mine)
        assert [r.find("a")[0].attrs["href"] for r in shown] == [f"#rule-{f.rule}" for f in mine]
        families = {
            tr.find("th")[0].all_text(): [int(td.all_text()) for td in tr.find("td")]
            for tr in card(page, file.path).find("table", class_="families")[0].find("tbody")[0].find("tr")
        }
        for family, (error, warning, info, total) in families.items():
            of_family = [f for f in mine if f.rule.split(".", 1)[0] == family]
            assert total == len(of_family) == error + warning + info
            assert error == sum(f.severity is Severity.ERROR for f in of_family)
        assert {"jargon", "readability", "sections", "dates", "regulation", "contact"} <= set(families)
    header = page.find("header")[0].all_text()
    s = report.summary
    assert f"{s.files} files checked: {s.error} errors, {s.warning} warnings, {s.info} info" in header


def test_every_rule_link_has_its_documentation(report: Report, page: Node) -> None:
    docs = {a.attrs["id"]: a for a in page.find("article", class_="rule-doc")}
    catalog = catalog_for(Config())
    assert set(docs) == {f"rule-{f.rule}" for f in report.findings}
    for rule_id in {f.rule for f in report.findings}:
        text = " ".join(docs[f"rule-{rule_id}"].all_text().split())
        assert " ".join(catalog.rules[rule_id].source.split()) in text


def test_required_sections_present_and_missing(page: Node) -> None:
    def statuses(path: str) -> dict[str, str]:
        table = card(page, path).find("table")[0]
        return {
            tr.find("th")[0].all_text(): tr.find("td")[0].find("span")[0].attrs["class"]
            for tr in table.find("tbody")[0].find("tr")
        }

    assert statuses("examples/needs-work/service-policy.md") == {
        "returns and refunds": "missing",
        "complaints": "missing",
        "contact": "present",
        "privacy": "missing",
    }
    assert set(statuses("examples/good/customer-service-policy.md").values()) == {"present"}
    returns = statuses("examples/good/returns-policy.txt")
    assert set(returns.values()) == {"present"} and len(returns) == 8


def test_readability_per_section_matches_the_formula(page: Node) -> None:
    from policylint.parsers import parse

    path = "examples/good/customer-service-policy.md"
    document = parse((ROOT / path).read_text("utf-8"), "markdown", path)
    expected = {
        s.title: score(s.body_text(), "flesch-kincaid-grade", "en").value
        for s in document.sections()
        if len(s.body_text().split()) >= MIN_SECTION_WORDS
    }
    table = card(page, path).find("table", class_="readability")[0]
    shown = {
        tr.find("th")[0].all_text(): float(tr.find("td", class_="num")[-1].all_text())
        for tr in table.find("tbody")[0].find("tr")
    }
    assert shown == expected and len(shown) >= 3
    assert "limit 10" in table.find("caption")[0].all_text()
    over = card(page, "examples/needs-work/service-policy.md").find("tr", class_="over")
    assert [tr.find("th")[0].all_text() for tr in over] == ["General terms"]


def test_the_offending_text_is_marked(page: Node) -> None:
    rows = [
        r
        for r in card(page, "examples/needs-work/service-policy.md").find("tr")
        if "data-severity" in r.attrs
    ]
    marks = [m.all_text() for r in rows for m in r.find("mark")]
    assert {"shall", "endeavour", "promptly", "03/04/2024"} <= set(marks)
    long_sentence = next(r for r in rows if r.find("a")[0].attrs["href"] == "#rule-readability.long-sentence")
    assert (
        long_sentence.find("mark")[0].all_text().startswith("Notwithstanding the")
    )  # to the end of the line


def test_untrusted_text_is_escaped() -> None:
    text = (
        f"# Returns {XSS}\n\n"
        f'We shall refund you promptly. {XSS} <img src=x onerror="alert(2)"> &lt;b&gt;x&lt;/b&gt;\n\n'
        f"## Contact {XSS}\n\nWrite to us at help@example.com.\n"
    )
    path = 'policies/<b>"odd"</b> & co.md'
    report = policylint.check_text(text, "markdown", {"today": TODAY}, path=path)
    assert any(f.line == 3 for f in report.findings)
    page = render(report, RenderOptions(source_of=lambda p: text if p == path else None))
    tree = dom(page)
    scripts = tree.find("script")
    assert len(scripts) == 1 and scripts[0].all_text() == JS
    assert not tree.find("img") and not tree.find("b")
    assert not [n for n in tree.walk() for a in n.attrs if a.startswith("on")]
    # Excerpts show text without its tags; what entities spell out is escaped again.
    assert "&lt;b&gt;x&lt;/b&gt;" in page
    assert "alert(1)" not in "".join(s.all_text() for s in scripts)
    assert tree.find("h2")[1].all_text() == path


def test_self_contained_and_deterministic(report: Report) -> None:
    first = render(report, full_options())
    again = render(examples_report(), full_options())
    assert first == again
    tree = dom(first)
    assert not tree.find("link") and not [n for n in tree.walk() if "src" in n.attrs]
    assert "http://" not in first and "https://" not in first
    assert first.startswith("<!DOCTYPE html>")
    assert "hidden" in tree.find("div", id="toolbar")[0].attrs  # filters appear only when JS runs


def test_without_source_or_catalog_and_with_unknown_rules() -> None:
    finding = Finding(
        rule="acme.custom",
        severity=Severity.WARNING,
        message="m",
        path="gone.md",
        line=3,
        column=1,
        end_line=3,
        end_column=2,
    )
    report = Report(files=[FileReport(path="a.md", format="markdown", language="en")], findings=[finding])
    tree = dom(render(report.finalize()))
    assert len(tree.find("section", class_="document")) == 2  # a finding's file gets a card too
    assert "not in the catalog" in tree.find("article", class_="rule-doc")[0].all_text()
    assert "source is not available" in tree.all_text()
    assert dom(render(Report().finalize())).find("header")


def test_long_lines_are_cut_around_the_span() -> None:
    line = "x" * 500 + " shall " + "y" * 500
    finding = Finding(
        rule="jargon.legalese",
        severity=Severity.WARNING,
        message="m",
        path="a.txt",
        line=1,
        column=502,
        end_line=1,
        end_column=507,
    )
    report = Report(files=[FileReport(path="a.txt", format="text")], findings=[finding]).finalize()
    excerpt = dom(render(report, RenderOptions(source_of=lambda _p: line))).find("pre", class_="excerpt")[0]
    assert excerpt.find("mark")[0].all_text() == "shall"
    assert len(excerpt.all_text()) < 200 and excerpt.all_text().startswith("…")


def test_render_html_equals_render(report: Report) -> None:
    assert render_html(report, full_options()) == render(report, full_options())


# --- a real browser ------------------------------------------------------------------------------


def find_browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def browser(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Headless Chromium with everything that could reach the network switched off."""
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run([binary, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_in_a_headless_browser(tmp_path: Path) -> None:
    binary = find_browser()
    if binary is None:
        pytest.skip(f"no headless browser found (looked for {', '.join(BROWSERS)}); apt-get install chromium")
    out = tmp_path / "report.html"
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "policylint.cli",
            "check",
            "examples",
            "--format",
            "html",
            "-o",
            str(out),
            "--today",
            TODAY.isoformat(),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert cli.returncode == 1, cli.stderr  # the needs-work examples have errors
    url = out.as_uri()

    def live(fragment: str = "") -> Node:
        result = browser(binary, tmp_path / "profile", "--dump-dom", url + fragment)
        assert "<html" in result.stdout, result.stderr[-2000:]
        return dom(result.stdout)

    def rows(tree: Node) -> list[Node]:
        return [r for r in tree.find("tr") if "data-severity" in r.attrs]

    plain = live()
    assert plain.find("html")[0].attrs.get("data-ready") == "true"
    assert "hidden" not in plain.find("div", id="toolbar")[0].attrs  # shown once the JS runs
    assert "hidden" not in plain.find("p", id="filter-hint")[0].attrs
    assert all("hidden" not in r.attrs for r in rows(plain))
    total = len(rows(plain))
    assert f"{total} of {total} findings shown" in plain.find("p", id="filter-status")[0].all_text()

    errors_only = live("#severity=error")
    visible = [r for r in rows(errors_only) if "hidden" not in r.attrs]
    assert visible and {r.attrs["data-severity"] for r in visible} == {"error"}
    assert all("hidden" in r.attrs for r in rows(errors_only) if r.attrs["data-severity"] == "warning")
    status = errors_only.find("p", id="filter-status")[0].all_text()
    assert status == f"{len(visible)} of {total} findings shown"

    jargon = live("#severity=error,warning&family=jargon")
    visible = [r for r in rows(jargon) if "hidden" not in r.attrs]
    assert visible and {(r.attrs["data-severity"], r.attrs["data-family"]) for r in visible} == {
        ("warning", "jargon")
    }

    shot = tmp_path / "report.png"
    result = browser(binary, tmp_path / "profile", f"--screenshot={shot}", "--window-size=1280,2000", url)
    assert shot.is_file(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1280, 2000)
    assert len(data) > 10_000, "the screenshot is (nearly) blank"
