"""Hostile and broken input: policylint never crashes, never loses a file's findings, never hangs.

Each test here backs one row of docs/robustness.md. Files that need to be big or binary are made
in a temporary folder while the test runs; only small text fixtures live in
tests/fixtures/robustness/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from conftest import EXAMPLES, PLUGIN_DIR, TODAY
from policylint import check_paths, check_text
from policylint.api import check_file
from policylint.config import Config
from policylint.engine import check_source
from policylint.findings import Finding, Report
from policylint.parsers import parse
from policylint.reader import ReadError, decode, read_file
from redos_check import UnsafePatternError, check_pattern

FIXTURES = Path(__file__).parent / "fixtures" / "robustness"
ACCENTS = FIXTURES / "accents.md"
CONFIG = Config(today=TODAY)
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
SYSTEM_RULES = ("io.", "internal.")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The real command line, as CI runs it (a subprocess, no colour, no progress bar)."""
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "1", "CI": "true", **(env or {})},
        timeout=timeout,
    )


def cli_many(
    runs: Sequence[tuple[Sequence[str], Path]], env: dict[str, str | None] | None = None
) -> list[subprocess.CompletedProcess[str]]:
    """Several CLI runs (arguments, working folder) at once: each is mostly start-up time.
    ``env`` changes the environment of the first run only (None removes a variable)."""
    base = {**os.environ, "NO_COLOR": "1", "CI": "true"}
    first = {k: v for k, v in {**base, **(env or {})}.items() if v is not None}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "policylint.cli", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=cwd,
            env=first if index == 0 else base,
        )
        for index, (args, cwd) in enumerate(runs)
    ]
    results = []
    for (args, _), proc in zip(runs, procs, strict=True):
        out, err = proc.communicate(timeout=180)
        results.append(subprocess.CompletedProcess(list(args), proc.returncode, out, err))
    return results


def spans(report: Report) -> list[tuple[str, int, int, int, int]]:
    return [(f.rule, f.line, f.column, f.end_line, f.end_column) for f in report.findings]


def system_findings(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.rule.startswith(SYSTEM_RULES)]


def check_bytes(tmp_path: Path, name: str, data: bytes, config: Config = CONFIG) -> tuple[Report, str]:
    path = tmp_path / name
    path.write_bytes(data)
    checked = check_file(path, config)
    report = Report(files=[checked.file], findings=checked.findings).finalize()
    return report, str(path)


# -- 1. Reading ----------------------------------------------------------------------------------

ENCODINGS: list[tuple[str, Callable[[str], bytes], str | None]] = [
    # (name, how to make the bytes from text, encoding reported in the output)
    ("utf-8", lambda t: t.encode("utf-8"), None),
    ("utf-8 with BOM", lambda t: t.encode("utf-8-sig"), None),
    ("utf-16 LE with BOM", lambda t: b"\xff\xfe" + t.encode("utf-16-le"), "utf-16"),
    ("utf-16 BE with BOM", lambda t: b"\xfe\xff" + t.encode("utf-16-be"), "utf-16"),
    ("utf-16 LE without BOM", lambda t: t.encode("utf-16-le"), "utf-16-le"),
    ("windows-1252", lambda t: t.encode("cp1252"), "windows-1252"),
    # Latin-1 is read as its superset Windows-1252: the same characters for every byte a
    # Latin-1 text uses (0x80-0x9F are control codes in Latin-1 and never appear in prose).
    ("latin-1", lambda t: t.encode("latin-1"), "windows-1252"),
]


@pytest.mark.parametrize(("name", "encode", "reported"), ENCODINGS, ids=[e[0] for e in ENCODINGS])
def test_encodings_give_the_same_text_findings_and_positions(
    tmp_path: Path, name: str, encode: Callable[[str], bytes], reported: str | None
) -> None:
    text = ACCENTS.read_text(encoding="utf-8")
    expected = check_text(text, "markdown", CONFIG)
    assert read_file(_write(tmp_path / "p.md", encode(text)), 10**6).text == text
    report, _ = check_bytes(tmp_path, "p.md", encode(text))
    assert report.files[0].encoding == reported
    assert spans(report) == spans(expected)
    vague = next(f for f in report.findings if f.rule == "dates.vague-time")
    line = text.splitlines()[2]
    assert (vague.line, vague.column) == (3, line.index("promptly") + 1)  # code points, not bytes


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_encoding_is_in_the_json_output(tree_runs: TreeRuns) -> None:
    files = {f["path"]: f for f in json.loads(tree_runs.serial.stdout)["files"]}
    assert files["legacy.md"]["encoding"] == "windows-1252"
    assert files["utf16.md"]["encoding"] == "utf-16"
    assert files["a.md"]["encoding"] is None  # plain UTF-8 is not worth a mention


def test_short_legacy_texts_prefer_windows_1252() -> None:
    """charset-normalizer alone reads these as cp1250 and cp1125 (Ukrainian DOS)."""
    french = "Nous acceptons les retours. Très bien, à bientôt. Le client reçoit un remboursement."
    assert decode(french.encode("cp1252")).text == french
    assert decode(french.encode("cp1252")).encoding == "windows-1252"
    assert decode("Returns – we accept them.\n".encode("cp1252")).encoding == "windows-1252"


def test_legacy_detection_keeps_central_european_text_and_reads_baltic_right() -> None:
    """Preferring Windows-1252 must not turn Croatian "č" into "è" where the detector can tell
    (on a few lines it cannot: both read as equally coherent, and Windows-1252 wins the tie,
    docs/robustness.md); Estonian written in cp1257
    uses the same bytes as Windows-1252 for õ, ä, ö and ü, so either label reads it right."""
    croatian = (
        "Kupac ima pravo vratiti proizvod u roku od četrnaest dana. Povrat novca izvršit ćemo u "
        "najkraćem roku. Žalbe šaljite na adresu društva. Osobni podaci čuvaju se sigurno i ne "
        "dijele se s trećim stranama. "
    ) * 5
    source = decode(croatian.encode("cp1250"))
    assert (source.text, source.encoding) == (croatian, "windows-1250")
    estonian = "Klient võib kauba tagastada 14 päeva jooksul. Kaebused vaatame läbi õigeaegselt."
    assert decode(estonian.encode("cp1257")).text == estonian


def test_mostly_utf8_stays_utf8_with_the_bad_byte_replaced() -> None:
    """A stray Windows-1252 quote in a UTF-8 file must not turn every "é" into "Ã©"."""
    text = "Café résumé, naïve, Zürich. " * 20
    source = decode(text.encode("utf-8") + b"It\x92s ours.")
    assert source.text == text + "It\ufffds ours."
    assert source.encoding == "utf-8 (1 invalid byte replaced by U+FFFD)"


POLICIES = [
    (EXAMPLES / "needs-work" / "service-policy.md", "markdown"),
    (EXAMPLES / "good" / "customer-service-policy.md", "markdown"),  # has YAML front matter
    (EXAMPLES / "needs-work" / "privacy-notice.html", "html"),
    (EXAMPLES / "good" / "returns-policy.txt", "text"),
]


@pytest.mark.parametrize(("path", "fmt"), POLICIES, ids=[p.name for p, _ in POLICIES])
def test_crlf_and_cr_files_report_the_same_positions(path: Path, fmt: str) -> None:
    lf = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    expected = spans(check_text(lf, fmt, CONFIG))
    assert expected or "good" in path.parts
    for newline in ("\r\n", "\r"):
        assert spans(check_text(lf.replace("\n", newline), fmt, CONFIG)) == expected, repr(newline)


def test_front_matter_with_cr_line_endings_is_metadata() -> None:
    """Regression: the front-matter pattern wanted a "\\n" after the opening ---."""
    source = "---\rtitle: Returns\rlang: en\r---\r# Returns\r\rWe refund within 14 days.\r"
    document = parse(source, "markdown")
    assert document.metadata == {"title": "Returns", "lang": "en"}
    assert [s.title for s in document.sections()] == ["Returns"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"# Policy\n\nText\x00more text\n", "NUL byte at byte 14"),
        (b"# Policy\n\n" + b"x" * 20_000 + b"\x00", "NUL byte at byte 20,010"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (bytes(range(1, 9)) * 100, "control characters"),
    ],
    ids=["nul", "late-nul", "pdf", "docx", "png", "controls"],
)
def test_binary_files_are_skipped_with_a_clear_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    report, path = check_bytes(tmp_path, "policy.md", data)
    (finding,) = report.findings
    assert finding.rule == "io.unreadable" and finding.severity == "error"
    assert finding.message.startswith(path) and reason in finding.message and "not checked" in finding.message


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("", "markdown"),
        ("", "html"),
        ("", "text"),
        ("\n\n  \r\n\t\n", "markdown"),
        ("# Privacy\n## Returns\n### Contact\n#### Complaints\n", "markdown"),
        ("<h1>Privacy</h1><h2>Returns</h2><h2></h2><h3>Contact</h3>", "html"),
        ("PRIVACY\n\nRETURNS\n=======\n\n1. Contact\n", "text"),
        ("\ufeff# Title\n", "markdown"),
    ],
    ids=[
        "empty-md",
        "empty-html",
        "empty-txt",
        "blank",
        "headings-md",
        "headings-html",
        "headings-txt",
        "bom",
    ],
)
def test_empty_and_heading_only_files_are_checked_normally(source: str, fmt: str) -> None:
    report = check_text(source, fmt, CONFIG)
    assert not system_findings(report.findings)
    assert all(f.line == 1 for f in report.findings) if not source.strip() else True


def test_empty_file_on_disk(tmp_path: Path) -> None:
    report, _ = check_bytes(tmp_path, "empty.md", b"")
    assert not system_findings(report.findings)
    assert report.files[0].words == 0 and report.files[0].encoding is None


@pytest.mark.skipif(IS_ROOT, reason="running as root: file permissions do not stop root from reading")
def test_file_without_read_permission_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "secret.md"
    path.write_text("# Secret\n")
    path.chmod(0)
    try:
        report = check_paths([path], CONFIG)
    finally:
        path.chmod(0o644)
    (finding,) = report.findings
    assert finding.rule == "io.unreadable" and "permission denied" in finding.message


def test_broken_symlink_loop_fifo_and_directory_named_like_a_file(tmp_path: Path) -> None:
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    (tmp_path / "loop.md").symlink_to(tmp_path / "loop.md")
    os.mkfifo(tmp_path / "pipe.md")  # reading it would block forever
    folder = tmp_path / "policy.md"
    folder.mkdir()
    (folder / "inner.md").write_text("# Returns\n\nWe reply promptly.\n")
    started = time.monotonic()
    results = {name: check_file(tmp_path / name, CONFIG) for name in ("dangling.md", "loop.md", "pipe.md")}
    results["policy.md"] = check_file(folder, CONFIG)
    assert time.monotonic() - started < 10
    messages = {
        name: [f.message for f in r.findings if f.rule == "io.unreadable"] for name, r in results.items()
    }
    assert "broken symbolic link" in messages["dangling.md"][0]
    assert "symbolic links" in messages["loop.md"][0]
    assert "not a regular file" in messages["pipe.md"][0]
    assert "is a directory" in messages["policy.md"][0]
    # Walking the folder checks what is inside it and reports the bad entries, nothing else.
    report = check_paths([tmp_path], CONFIG)
    by_path = {Path(f.path).name: f.rule for f in report.findings if f.rule.startswith("io.")}
    assert by_path == {"dangling.md": "io.unreadable", "loop.md": "io.unreadable", "pipe.md": "io.unreadable"}
    assert any(Path(f.path).name == "inner.md" and f.rule == "dates.vague-time" for f in report.findings)


def test_the_cached_runner_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    import threading

    from policylint.cache import ResultCache
    from policylint.runner import make_task, run_tasks

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    results: list[object] = []
    worker = threading.Thread(
        target=lambda: results.extend(
            run_tasks([make_task(fifo, CONFIG, None)], cache=ResultCache(tmp_path / "c"))
        ),
        daemon=True,
    )
    worker.start()
    worker.join(3)
    blocked = worker.is_alive()
    if blocked:  # release the reader (an empty write end), so no thread is left hanging
        with fifo.open("wb"):
            pass
        worker.join(10)
    assert not blocked, "run_tasks blocked reading a FIFO"


def test_file_above_max_file_bytes_is_refused_without_reading_it(tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(60_000_000)  # sparse: no disk space used, and never read
    started = time.monotonic()
    limit = Config().max_file_bytes  # the default, whatever it is
    with pytest.raises(ReadError, match=rf"is 60,000,000 bytes, above the limit of {limit:,} bytes"):
        read_file(big, limit)
    report = check_paths([big], CONFIG)
    assert time.monotonic() - started < 5
    assert [f.rule for f in report.findings] == ["io.unreadable"]
    assert "`max_file_bytes`" in report.findings[0].message


# The child reports its own peak (VmHWM): ru_maxrss would include the pytest process it was
# forked from, which Linux carries across exec.
_PEAK = (
    "def _peak():\n"
    "    import re, resource\n"
    "    try:\n"
    "        status = open('/proc/self/status').read()\n"
    "        return int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024\n"
    "    except (OSError, AttributeError):\n"
    "        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
)
_MEASURED = (
    _PEAK + "import atexit, runpy, sys\n"
    "atexit.register(lambda: print('PEAK_RSS_MB', _peak(), file=sys.stderr))\n"
    "sys.argv = ['policylint', *sys.argv[1:]]\n"
    "runpy.run_module('policylint.cli', run_name='__main__')\n"
)


def cli_measured(*args: str) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """The CLI with its wall-clock time and its own peak memory (MiB)."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "CI": "true"},
        timeout=300,
    )
    peak = re.search(r"PEAK_RSS_MB (\d+)", result.stderr)
    assert peak is not None, result.stderr
    return result, time.monotonic() - started, int(peak.group(1))


@pytest.mark.slow
def test_50_mb_text_file_is_handled_in_bounded_time_and_memory(tmp_path: Path) -> None:
    """With the default ``max_file_bytes`` a 50 MiB file is reported, not loaded: checking it
    would take tens of minutes and gigabytes (see docs/robustness.md for the measurements)."""
    paragraph = (EXAMPLES / "needs-work" / "service-policy.md").read_bytes()
    path = tmp_path / "huge-policy.txt"
    with path.open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(paragraph) + 1):
            handle.write(paragraph)
    result, elapsed, peak_mb = cli_measured("check", str(path), "--format", "json", "--no-cache")
    findings = json.loads(result.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["io.unreadable"], result.stderr
    assert "max_file_bytes" in findings[0]["message"]
    assert elapsed < 30 and peak_mb < 300, (elapsed, peak_mb)


def _single_line_html(size: int) -> str:
    row = "".join(
        f'<h2 id="s{i}">Section {i}</h2><p>Our café replies <b>promptly</b> &amp; keeps data {i} days. '
        f'Write to <a href="mailto:help@example.com">help@example.com</a>.</p><ul><li>One<li>Two</ul>'
        for i in range(100)
    )
    return "<!DOCTYPE html><html><body>" + row * (size // len(row) + 1) + "</body></html>"


@pytest.mark.slow
def test_20_mb_single_line_html_is_read_in_bounded_time_and_parsed_in_linear_time(tmp_path: Path) -> None:
    """20 MiB of minified HTML on one line: reading and decoding take a second or two and little
    more memory than the text itself, and the parser's time grows linearly with the size, so
    the 20 MiB parse takes about ten times the 2 MiB one (docs/robustness.md has the full-run
    numbers; a full rule run on 20 MiB is far too slow for CI)."""
    path = tmp_path / "minified.html"
    path.write_text(_single_line_html(20 * 1024 * 1024), encoding="cp1252")  # a legacy CMS export
    script = _PEAK + (
        "import sys, time; from pathlib import Path; from policylint.reader import read_file\n"
        "t = time.monotonic(); s = read_file(Path(sys.argv[1]), 50_000_000)\n"
        "print(len(s.text), s.encoding, s.text.count(chr(10)), time.monotonic() - t, _peak())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120
    )
    chars, encoding, newlines, seconds, peak_mb = result.stdout.split()
    assert int(chars) >= 20 * 1024 * 1024 and newlines == "0", result.stderr
    assert encoding == "windows-1252"
    # The bytes, a UTF-8 attempt and the text (one byte a character in the Latin-1 range).
    assert float(seconds) < 20 and int(peak_mb) < 400, (seconds, peak_mb)
    timings = []
    for size in (256 * 1024, 1024 * 1024):
        html = _single_line_html(size)
        started = time.monotonic()
        document = parse(html, "html")
        timings.append(time.monotonic() - started)
        assert sum(1 for _ in document.sections()) >= size // 250
    assert timings[1] < 6 * timings[0] + 1.0, timings  # 4x the input: linear, with room for noise


def test_a_giant_block_is_split_for_spacy_not_truncated() -> None:
    """One paragraph of 300,000 characters: spaCy takes 200,000 at a time, and the finding at
    the very end must still be found, at the right column."""
    sentence = "We keep your data safe and use it only to run your account with us. "
    tail = "We will reply promptly to every request."
    text = sentence * (300_000 // len(sentence)) + tail
    report = check_text(
        f"# Privacy\n\n{text}\n", "markdown", Config(today=TODAY, select=["dates.vague-time"])
    )
    (finding,) = report.findings
    assert (finding.line, finding.column) == (3, text.index("promptly") + 1)


def test_spacy_pieces_merge_into_the_doc_spacy_would_have_made(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut into 1,000-character pieces, a text gets the same tokens, offsets, lemmas and
    sentences as when spaCy reads it whole: cuts fall only at the end of a whitespace run, and
    the sentencizer's decisions are redone across them."""
    import random

    from policylint import nlp as nlp_module
    from policylint.checks.base import _parse_texts

    nlp = nlp_module.pipeline("en")
    words = ["We", "reply", "promptly.", "Really?", "Yes!", "(see", "below).", "“Quoted.”", "x", "\n", " "]
    words += ["\t", "\n\n", "...", "Mr.", "e.g.", "don't", "U.S.", "—", "«a»"]
    monkeypatch.setattr(nlp_module, "MAX_TEXT_CHARS", 1_000)
    for seed in range(3):
        pick = random.Random(seed)
        text = pick.choice([". ", " ", "\n"]) + " ".join(pick.choice(words) for _ in range(3_000))
        whole = nlp(text)
        (pieced,) = _parse_texts(nlp, [text])
        assert [(t.text, t.idx, t.lemma_) for t in pieced] == [(t.text, t.idx, t.lemma_) for t in whole]
        assert [(s.start_char, s.end_char) for s in pieced.sents] == [
            (s.start_char, s.end_char) for s in whole.sents
        ]


def test_spacy_docs_keep_offsets_for_long_runs() -> None:
    from policylint.engine import analyse

    text = (
        "Read https://example.com/a/very/long/path/to/our/privacy-policy/page.html. "
        + "(" * 5_000
        + " We reply promptly! "
        + "&#" * 2_000
        + " Done. "
    ) * 3 + "Yes. " * 50_000
    document = parse(f"# Policy\n\n{text}\n", "text")
    _, ctx = analyse(document, CONFIG)
    block = next(b for _, b in document.blocks())
    started = time.monotonic()
    doc = ctx.spacy_doc(block)
    assert time.monotonic() - started < 30
    assert doc.text == block.text
    assert all(block.text.startswith(t.text, t.idx) for t in doc)
    url = next(t for t in doc if t.text.startswith("https://"))
    assert url.text.endswith(".html") and url.like_url  # the link is one token, its full stop is not
    assert doc[url.i + 1].text == "." and next(t for t in doc if t.text == "We").is_sent_start
    assert sum(1 for _ in doc.sents) > 50_000


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("(" * 100_000, "markdown"),
        ("&#" * 50_000, "html"),
        ("<" * 100_000, "html"),
        ("a" * 200_000 + " promptly", "text"),
        ("x@" * 50_000, "text"),
        (" " * 100_000 + "{: x}", "markdown"),
        ("<!-- " * 20_000, "markdown"),
    ],
    ids=["parens-md", "charrefs-html", "lt-html", "long-word", "at-signs", "spaces-ial", "open-comments"],
)
def test_long_runs_are_checked_in_linear_time(source: str, fmt: str) -> None:
    """Each of these took minutes to hours: spaCy's tokenizer and some parser regexes were
    quadratic on long runs without spaces."""
    started = time.monotonic()
    report = check_text(source, fmt, CONFIG)
    assert time.monotonic() - started < 15
    assert not system_findings(report.findings)


# -- 2. Parsing ----------------------------------------------------------------------------------

HOSTILE_HTML = {
    "unclosed tags": "<html><body><h1>Policy<p>We reply promptly.<div><span><b><i>text",
    "stray end tags": "</div></p></li></table></body></html>" * 2_000 + "<p>We reply promptly.</p>",
    "10,000 nested divs": "<div>" * 10_000 + "We reply promptly." + "</div>" * 10_000,
    "10,000 unclosed nested elements": "<div><span><b>" * 10_000 + "We reply promptly.",
    "nested lists and tables": "<ul><li><table><tr><td>" * 3_000 + "We reply promptly.",
    "nested headings": "<h2><h3>" * 5_000 + "We reply promptly.",
    "unclosed comment": "<p>We reply promptly.</p><!-- " + "x " * 10_000,
    "unclosed script": "<p>We reply promptly.</p><script>" + "x<" * 10_000,
    "unclosed attribute": '<p title="' + "x" * 10_000 + ">We reply promptly.</p>",
    "bad character references": "<p>&#; &#x; &#99999999999; &#xD800; &bogus; &amp We reply promptly.</p>",
}


@pytest.mark.parametrize("source", HOSTILE_HTML.values(), ids=HOSTILE_HTML.keys())
def test_malformed_html_is_parsed_or_reported(source: str) -> None:
    started = time.monotonic()
    report = check_text(source, "html", CONFIG)
    assert time.monotonic() - started < 15
    rules = [f.rule for f in report.findings]
    assert "io.parse-error" in rules or not system_findings(report.findings)


HOSTILE_MARKDOWN = {
    "10,000 nested blockquotes": ">" * 10_000 + " We reply promptly.\n",
    "10,000 nested blockquote lines": "".join(">" * i + " We reply promptly.\n" for i in range(1, 200)),
    "5,000 nested lists": "- " * 5_000 + "We reply promptly.\n",
    "1,000 indented nested lists": "".join("  " * i + "- We reply promptly.\n" for i in range(1_000)),
    "5,000 nested ordered lists": "1. " * 5_000 + "We reply promptly.\n",
    "nested emphasis": "*a _b " * 3_000 + "promptly" + " b_ a*" * 3_000 + "\n",
    "nested strong": "**" * 5_000 + "promptly" + "**" * 5_000 + "\n",
    "nested links": "[" * 5_000 + "promptly" + "]" * 5_000 + "(x)\n",
    "unclosed link destinations": "[a](" * 5_000 + "\n",
    "backtick runs": "`" * 10_000 + " promptly\n",
    "10,000 headings": "".join(f"# Heading {i}\n" for i in range(10_000)),
    "wide table": "|" + "a|" * 3_000 + "\n|" + "-|" * 3_000 + "\n",
    "html blocks": "<div>\n" * 5_000 + "We reply promptly.\n",
    "entities": "&amp;" * 20_000 + " promptly\n",
}


@pytest.mark.parametrize("source", HOSTILE_MARKDOWN.values(), ids=HOSTILE_MARKDOWN.keys())
def test_pathological_markdown_is_parsed_or_reported(source: str) -> None:
    started = time.monotonic()
    report = check_text(source, "markdown", CONFIG)
    assert time.monotonic() - started < 15
    rules = [f.rule for f in report.findings]
    assert "io.parse-error" in rules or not system_findings(report.findings)


def test_recursion_in_a_parser_becomes_a_parse_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from policylint import engine

    def too_deep(source: str, fmt: str, path: str) -> None:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(engine, "parse", too_deep)
    checked = check_source("> " * 10, "markdown", "deep.md", CONFIG)
    (finding,) = checked.findings
    assert finding.rule == "io.parse-error" and "nested too deeply" in finding.message


def test_entities_scripts_and_styles() -> None:
    source = (
        "<h1>Terms &amp; conditions</h1>"
        "<p>Caf&eacute; &ndash; we&nbsp;reply&#32;promptly &#x2014; &copy; 2025.</p>"
        "<script>document.write('we reply promptly')</script>"
        "<style>p::after { content: 'promptly'; }</style>"
        "<noscript>promptly</noscript><template>promptly</template>"
    )
    document = parse(source, "html")
    assert [s.title for s in document.sections()] == ["Terms & conditions"]
    (block,) = [b.text for _, b in document.blocks()]
    assert block == "Café – we reply promptly — © 2025."
    report = check_text(source, "html", Config(today=TODAY, select=["dates.vague-time"]))
    (finding,) = report.findings
    assert source[finding.column - 1 : finding.end_column - 1] == "promptly"


def test_no_network_and_no_entity_expansion() -> None:
    """conftest.py makes every socket connection fail the test; the external entity must stay
    the literal text ``&e;`` (and the internal one ``&local;``: no DTD is ever read)."""
    source = (FIXTURES / "xxe.html").read_text(encoding="utf-8")
    document = parse(source, "html")
    texts = [b.text for _, b in document.blocks()]
    assert "We store &e; and &local; for you & your family." in texts
    assert not any("expanded" in t or "tracker" in t or 'promptly"' in t for t in texts)
    report = check_text(source, "html", Config(today=TODAY, select=["dates.vague-time"]))
    assert [(f.rule, f.line) for f in report.findings] == [("dates.vague-time", 17)]
    markdown = "# Policy\n\n" + source
    assert not system_findings(check_text(markdown, "markdown", CONFIG).findings)


@pytest.mark.parametrize(
    "source",
    [
        "![logo](https://example.com/images/logo.png) Caf&eacute; replies promptly.\n",
        "[](https://example.com/a/b/c)\nWe &amp; us, promptly.\n",
        "We \\*reply\\* &#x27;promptly&#x27;.\n",
        "`code\nover\nlines` and then promptly.\n",
        "`\n`We reply promptly.\n",
    ],
    ids=[
        "entity-after-image",
        "entity-after-empty-link",
        "escapes",
        "code-span-over-lines",
        "code-span-of-a-break",
    ],
)
def test_markdown_positions_after_entities_images_and_code_spans(source: str) -> None:
    """Regressions found by fuzzing: markdown-it merged an entity into the text around it, and
    that text, found nowhere in the source, was placed character by character, which went astray
    after an image or an empty link (and differently for CRLF); a code span over several lines
    did the same with its line breaks."""
    config = Config(today=TODAY, select=["dates.vague-time"])
    for newline in ("\n", "\r\n", "\r"):
        text = source.replace("\n", newline)
        (finding,) = check_text(text, "markdown", config).findings
        line = _LINE_BREAK.split(text)[finding.line - 1]
        assert line[finding.column - 1 : finding.end_column - 1] == "promptly", repr(newline)


def test_text_after_a_link_or_image_is_not_looked_for_in_its_url() -> None:
    source = "[x](abc)a and ![i](def)d, [y][ref]r.\n\n[ref]: https://example.com/r\n"
    (block,) = [b for _, b in parse(source, "markdown").blocks()]
    assert block.text == "xa and d, yr."
    for index, char in enumerate(block.text):
        assert source[block.smap.start(index)] == char, (index, char)


def test_line_breaks_map_whole_and_attribute_lists_leave_no_leading_space() -> None:
    """Regression found by fuzzing: a soft line break mapped to the LF of a CRLF only (a column
    past the end of the line), and a paragraph that began with a kramdown attribute list kept
    the line break after it as its first character."""
    for newline in ("\n", "\r\n", "\r"):
        source = f"{newline}{{: #id }}{newline}We reply{newline}promptly."
        document = parse(source, "markdown")
        (block,) = [b for _, b in document.blocks()]
        assert block.text == "We reply promptly."
        assert document.lines.position(block.source_start) == (3, 1), repr(newline)
        report = check_text(
            source, "markdown", CONFIG.model_copy(update={"default_profile": "customer-service"})
        )
        assert {(f.line, f.column) for f in report.findings if f.rule.startswith("sections.")} == {(3, 1)}


def test_directives_in_one_html_block_keep_their_own_lines() -> None:
    """Regression: each comment was located by searching the block from its start, so a second
    identical directive got the first one's line, and CRLF multi-line comments drifted."""
    for newline in ("\n", "\r\n", "\r"):
        source = newline.join(
            [
                "# Policy",
                "",
                "<!-- policylint-disable-next-line dates.vague-time -->",
                "<!-- note",
                "spanning lines -->",
                "<!-- policylint-disable-next-line dates.vague-time -->",
                "",
                "We reply promptly.",
                "",
            ]
        )
        document = parse(source, "markdown")
        assert [d.line for d in document.directives] == [3, 6], repr(newline)


# -- 3. Configuration and rule packs -------------------------------------------------------------

RULE = """
[[rule]]
id = "{id}"
kind = "conditional"
severity = "warning"
summary = "A test rule"
message = "The policy does not mention {{element}}."
rationale = "Exists to test how policylint validates rule packs."
source = "tests"
{extra}
[rule.params]
triggers = ["newsletter"]
[[rule.params.elements]]
name = "an unsubscribe link"
patterns = [{pattern}]
[rule.example]
bad = "x"
good = "y"
"""


def _pack(rule_id: str = "custom.test", pattern: str = "'unsubscribe'", extra: str = "") -> str:
    return '[pack]\nname = "custom"\n' + RULE.format(id=rule_id, pattern=pattern, extra=extra)


BAD_SETUPS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    # name: (policylint.toml, {extra file: content}, what stderr must contain besides the file)
    "wrong type": ("fail_on = 3\n", {}, ("`fail_on`", "'error', 'warning', 'info' or 'never'")),
    "wrong type (int)": ('stale_after_months = "twelve"\n', {}, ("`stale_after_months`", "valid integer")),
    "out of range": ("max_file_bytes = 0\n", {}, ("`max_file_bytes`", "greater than or equal to 1")),
    "unknown key": ("bogus = 1\n", {}, ("unknown key `bogus`", "known keys:")),
    "unknown section kind": (
        'required_sections = ["privacy", "refunds"]\n',
        {},
        ("required_sections", "allowed:"),
    ),
    "unknown rule in select": (
        'select = ["jargon.nonexistent"]\n',
        {},
        ("`select`", "'jargon.nonexistent'", "use a rule id"),
    ),
    "unknown rule in ignore": ('ignore = ["nosuch"]\n', {}, ("`ignore`", "'nosuch'", "use a rule id")),
    "invalid TOML": ("select = [\n", {}, ("not valid TOML",)),
    "missing rule path": (
        'rule_paths = ["nowhere/"]\n',
        {},
        ("nowhere", "rule path does not exist", "rule_paths"),
    ),
    "duplicate rule id": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack("jargon.legalese")},
        ("pack.toml", "'jargon.legalese' is already defined", "must be unique"),
    ),
    "unknown key in a rule": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack(extra='colour = "red"')},
        ("pack.toml", "rule 'custom.test'", "colour", "unknown key"),
    ),
    "wrong type in a rule": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack().replace('severity = "warning"', 'severity = "fatal"')},
        ("pack.toml", "severity", "'info', 'warning' or 'error'"),
    ),
    "invalid regex in patterns": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack(pattern="'unsub[scribe'")},
        ("pack.toml", "custom.test", "elements.0.patterns", "invalid regular expression", "unterminated"),
    ),
    "lookahead in patterns": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack(pattern="'unsubscribe(?= now)'")},
        ("pack.toml", "custom.test", "elements.0.patterns", "a lookaround", "RE2", "-> foobar"),
    ),
    "backreference in patterns": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack(pattern="'(opt)-\\1'")},
        ("pack.toml", "custom.test", "elements.0.patterns", "a backreference", "spell the repeated text out"),
    ),
    "lookbehind in a config's params": (
        'regions = ["us"]\n[params."us.ccpa-rights"]\nregion_evidence = ["(?<=in )California"]\n',
        {},
        ("policylint.toml", "us.ccpa-rights", "region_evidence", "a lookaround", "RE2"),
    ),
    "word boundary inside a pattern": (
        'rule_paths = ["pack.toml"]\n',
        {"pack.toml": _pack(pattern="'unsub\\w*\\b\\s+link'")},
        ("pack.toml", "custom.test", "elements.0.patterns", "\\b or \\B inside the pattern", "only ASCII"),
    ),
}


def test_every_invalid_config_or_pack_exits_2_naming_file_key_and_fix(tmp_path: Path) -> None:
    runs = []
    for index, (config, files, _) in enumerate(BAD_SETUPS.values()):
        folder = tmp_path / f"case{index}"
        folder.mkdir()
        (folder / "policylint.toml").write_text(config)
        for name, content in files.items():
            (folder / name).write_text(content)
        (folder / "policy.md").write_text("# Newsletter\n\nOur newsletter. " + "a" * 40 + "!\n")
        runs.append((["check", str(folder / "policy.md"), "--no-cache"], tmp_path))
    results = cli_many(runs)
    for (name, (_, _, expected)), result in zip(BAD_SETUPS.items(), results, strict=True):
        assert result.returncode == 2, (name, result.stdout, result.stderr)
        assert str(tmp_path) in result.stderr, (name, result.stderr)  # the file, by path
        for part in expected:
            assert part in result.stderr, (name, part, result.stderr)
        assert "Traceback" not in result.stderr, name


def test_lookbehind_in_a_language_pack_is_refused(tmp_path: Path) -> None:
    from policylint.errors import RulePackError
    from policylint.packs import load_catalog

    pack = tmp_path / "lang-en-extra.toml"
    pack.write_text(
        '[language]\ncode = "en"\nname = "English"\nspacy = "en"\n\n'
        "[parts.privacy-retention]\nlabel = \"retention\"\npatterns = ['(?<!not )kept for']\n"
    )
    with pytest.raises(RulePackError, match=r"(?s)lang-en-extra\.toml.*patterns.*a lookaround.*RE2"):
        load_catalog((pack,))


def test_catastrophic_user_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    """``^(a+)+$`` took exponential time on ``re`` and had to be refused; on RE2 it is simply
    run, and a hostile text is checked as fast as any other."""
    (tmp_path / "pack.toml").write_text(_pack(pattern="'^(a+)+$'"))
    (tmp_path / "policylint.toml").write_text('rule_paths = ["pack.toml"]\n')
    (tmp_path / "policy.md").write_text("# Newsletter\n\nOur newsletter. " + "a" * 5000 + "!\n")
    started = time.monotonic()
    result = cli("check", str(tmp_path / "policy.md"), "--no-cache", "--format", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert time.monotonic() - started < 60
    assert "custom.test" in result.stdout  # the element is missing: the pattern ran and failed


REDOS = [
    r"^(a+)+$",
    r"(a*)*",
    r"(a|a)*",
    r"(.*a){10}",
    r"(\w+\s?)+$",
    r"(x+x+)+y",
    r"(?:\d+|[a-z]+)+",
    r"\w+\w+@",
    # Found by fuzzing the checker itself (tests/test_fuzz.py):
    r"(?:[ab]{0,5}){0,5}(?:[ab]{0,5}){0,5}x",
    r"(?:(?:a|a){2})*",
    r"(?:a|aa)*$",
]
SAFE = [
    r"unsubscribe",
    r"opt[- ]?out",
    r"(?:\w+\s+){0,5}out",
    r"(\d{1,3}\.){3}\d{1,3}",
    r"(?:[a-z]+,\s*)*[a-z]+",
    r"(?-i:\b\d{1,6}[A-Za-z]?\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:Street|St|Avenue)\b)",
    r"(?i:\b(?:P\.?\s?O\.?\s*Box|Post\s+Office\s+Box)\s+\d+)",
    r"(a|ab)+",  # re factors the common prefix out: a(?:|b), which cannot blow up
    r"(?:\b(?:email|e-mail|mail)\b\s*)+",  # a word list: no word is another's prefix
    r"(?:cat|cats)+",
]


@pytest.mark.parametrize("pattern", REDOS)
def test_catastrophic_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(UnsafePatternError, match="exponential time"):
        check_pattern(pattern, re.IGNORECASE | re.MULTILINE)


@pytest.mark.parametrize("pattern", SAFE)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    check_pattern(pattern, re.IGNORECASE | re.MULTILINE)


def _patterns(data: object) -> list[str]:
    if isinstance(data, dict):
        found = list(data.get("patterns", [])) if isinstance(data.get("patterns"), list) else []
        return found + [p for value in data.values() for p in _patterns(value)]
    if isinstance(data, list):
        return [p for value in data for p in _patterns(value)]
    return []


def test_every_built_in_pattern_passes_the_test_only_check() -> None:
    from policylint.config import tomllib
    from policylint.packs import builtin_rules_dir

    patterns = [
        pattern
        for pack in sorted(builtin_rules_dir().rglob("*.toml"))
        for pattern in _patterns(tomllib.loads(pack.read_text(encoding="utf-8")))
    ]
    assert patterns
    for pattern in patterns:
        check_pattern(pattern, re.IGNORECASE | re.MULTILINE)


# -- 4. Isolation --------------------------------------------------------------------------------


def test_a_crashing_rule_exits_2_and_loses_nothing_else(tmp_path: Path, installed_plugin: Path) -> None:
    plugin_root = next(p for p in sys.path if (Path(p) / "policylint_testplugin.py").is_file())
    (tmp_path / "policylint.toml").write_text(
        f'rule_paths = ["{installed_plugin.as_posix()}"]\nselect = ["style", "dates.vague-time"]\n'
    )
    docs = tmp_path / "docs"  # not tmp_path itself: the plugin's .dist-info lives there
    docs.mkdir()
    (docs / "a.md").write_text("# A\n\nWe NEVER reply promptly.\n")
    (docs / "b.md").write_text("# B\n\nWe reply promptly.\n")
    env = {"PYTHONPATH": plugin_root}
    result = cli("check", "docs", "--format", "json", "--no-cache", cwd=tmp_path, env=env)
    assert result.returncode == 2, result.stderr
    found = sorted((f["path"], f["rule"]) for f in json.loads(result.stdout)["findings"])
    assert found == [
        ("docs/a.md", "dates.vague-time"),
        ("docs/a.md", "internal.rule-error"),
        ("docs/a.md", "style.shouting"),
        ("docs/b.md", "dates.vague-time"),
        ("docs/b.md", "internal.rule-error"),
    ]
    assert PLUGIN_DIR.is_dir()


# -- 5. Determinism ------------------------------------------------------------------------------

TREE = {
    "a.md": EXAMPLES / "needs-work" / "service-policy.md",
    "b.html": EXAMPLES / "needs-work" / "privacy-notice.html",
    "c.txt": EXAMPLES / "good" / "returns-policy.txt",
    "sub/d.md": EXAMPLES / "good" / "customer-service-policy.md",
    "sub/e.md": EXAMPLES / "needs-work" / "service-policy.md",
}


def _make_tree(root: Path, order: Sequence[str]) -> None:
    """The same files, created in ``order`` (so directory order on disk differs between trees)."""
    extra = {
        "legacy.md": ACCENTS.read_text(encoding="utf-8").encode("cp1252"),
        "utf16.md": ACCENTS.read_text(encoding="utf-8").encode("utf-16"),
        "crlf.md": ACCENTS.read_bytes().replace(b"\n", b"\r\n"),
    }
    for name in order:
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if name in extra:
            target.write_bytes(extra[name])
        else:
            shutil.copy(TREE[name], target)


class TreeRuns:
    """One set of CLI runs shared by several tests (each run costs seconds of start-up)."""

    def __init__(self, root: Path) -> None:
        names = [*TREE, "legacy.md", "utf16.md", "crlf.md"]
        self.first, self.second, self.cache = root / "one", root / "two", root / "cache"
        _make_tree(self.first, sorted(names))
        _make_tree(self.second, sorted(names, reverse=True))
        self.before, self.second_before = _snapshot(self.first), _snapshot(self.second)
        args = ["check", ".", "--format", "json", "--today", "2026-11-23"]
        cached = [*args, "--jobs", "1", "--cache-dir", str(self.cache)]
        # The first run has no POLICYLINT_CACHE_DIR (tests set one), as a user's shell would not.
        self.reversed_order, self.serial, self.parallel, self.cold = cli_many(
            [
                ([*args, "--jobs", "1", "--no-cache"], self.second),
                ([*args, "--jobs", "1", "--no-cache"], self.first),
                ([*args, "--jobs", "2", "--no-cache"], self.first),
                (cached, self.first),
            ],
            env={"POLICYLINT_CACHE_DIR": None},
        )
        (self.warm,) = cli_many([(cached, self.first)])
        self.after = _snapshot(self.first)
        self.second_after = _snapshot(self.second)


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def tree_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TreeRuns]:
    # Module-scoped fixtures start before conftest's per-test cache isolation: set it here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POLICYLINT_CACHE_DIR", str(tmp_path_factory.mktemp("policylint-cache")))
        yield TreeRuns(tmp_path_factory.mktemp("tree"))


def test_output_is_byte_identical_whatever_the_file_order_or_workers(tree_runs: TreeRuns) -> None:
    serial = tree_runs.serial
    assert serial.returncode == 1, serial.stderr
    assert serial.stdout == tree_runs.reversed_order.stdout  # files created in another order
    assert serial.stdout == tree_runs.parallel.stdout  # --jobs 2
    assert serial.stdout == tree_runs.cold.stdout == tree_runs.warm.stdout  # through the cache
    assert len(json.loads(serial.stdout)["files"]) == len(TREE) + 3


# -- 7. Nothing written unasked ------------------------------------------------------------------


def test_checked_files_are_never_modified(tree_runs: TreeRuns) -> None:
    assert tree_runs.after == tree_runs.before  # same files, same bytes, same modification times
    assert any(tree_runs.cache.rglob("*.json"))  # the cache went where it was told


def test_no_cache_writes_nothing(tree_runs: TreeRuns) -> None:
    """``--no-cache`` in a folder of policies, without POLICYLINT_CACHE_DIR: nothing new appears."""
    assert sorted(set(tree_runs.second_after) - set(tree_runs.second_before)) == []


def test_an_unwritable_cache_is_never_fatal(tmp_path: Path) -> None:
    policy = tmp_path / "p.md"
    policy.write_text("# Returns\n\nWe reply promptly.\n")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be\n")
    readonly = tmp_path / "readonly"
    readonly.mkdir()
    readonly.chmod(0o555)
    config = Config(today=TODAY, select=["dates.vague-time"])
    try:
        reports = [check_paths([policy], config, cache_dir=where) for where in (blocker / "cache", readonly)]
    finally:
        readonly.chmod(0o755)
    for report in reports:
        assert [f.rule for f in report.findings] == ["dates.vague-time"]
    assert blocker.read_text() == "a file where the cache folder should be\n"
    if not IS_ROOT:
        assert not any(readonly.rglob("*.json"))


def test_every_built_in_pattern_is_proven_safe_and_only_those_run_on_re() -> None:
    """Built-in patterns run on Python's backtracking ``re`` (they need Unicode ``\\b`` between
    words, which RE2 lacks): each one passes the full static check for catastrophic backtracking,
    under the flags rules search with. Any other pattern, a user's, runs on RE2."""
    import re as regex

    import redos_check
    from policylint import pack_regex
    from policylint.packs import builtin_patterns, builtin_rules_dir, load_catalog

    tomllib = pytest.importorskip("tomllib")
    patterns = set()
    for path in builtin_rules_dir().rglob("*.toml"):
        patterns.update(builtin_patterns(tomllib.loads(path.read_text(encoding="utf-8"))))
    assert len(patterns) > 20
    assert any("EUR" in p for p in patterns)  # region_evidence is collected too
    for pattern in sorted(patterns):
        for flags in (regex.IGNORECASE, regex.IGNORECASE | regex.MULTILINE):
            assert redos_check._problems(pattern, flags) == [], pattern
    load_catalog()
    for pattern in patterns:
        assert isinstance(pack_regex.compile_pattern(pattern, pack_regex.SEARCH_FLAGS), regex.Pattern)
    user = pack_regex.compile_pattern("(a+)+$", pack_regex.SEARCH_FLAGS)
    assert not isinstance(user, regex.Pattern)  # RE2's compiled pattern
    assert user.search("a" * 100_000 + "!") is None  # instantly: linear time
