"""The ``policylint`` command: parses arguments, calls the library, picks a reporter, exits.

Exit codes: 0 no finding at or above ``--fail-on``; 1 findings at or above it; 2 usage,
configuration or internal error (including a rule that crashed, a path that does not exist, an
``--output`` that cannot be written, and with ``--fail-on-empty`` paths holding no policy file);
141 when the reader of the output closed the pipe (as for a tool that SIGPIPE ended). Heavy modules are imported
inside the commands so that ``--help`` and ``--version`` stay instant, and ``check --server``
is routed to the warm server (client.py) before anything heavy is imported.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from collections.abc import Callable, Collection, MutableMapping, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from ._version import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: A closed output pipe: 128 + SIGPIPE, what a shell reports for a tool that SIGPIPE ended.
EXIT_BROKEN_PIPE = 141
INPUT_FORMATS = ("markdown", "html", "text")
FAIL_LEVELS = ("error", "warning", "info", "never")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors, as we document
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"policylint: error: {message}\n")


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="policylint",
        description="Lint customer-facing policies: missing sections, unclear dates, jargon, regulatory gaps.",
        epilog="Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage/config/internal error.",
    )
    parser.add_argument("--version", action="version", version=f"policylint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check policy files and folders", description="Check policy files.")
    check.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, folders, - for standard input, or http(s):// URLs of live pages (policylint[web]); "
        "default: the current folder, as ruff does (none with --site)",
    )
    from .reporters import REPORTERS

    check.add_argument(
        "--format",
        "--output-format",  # ruff's name for it
        "-f",
        dest="format",
        choices=sorted(REPORTERS),
        default="text",
        help="output format",
    )
    check.add_argument("--input-format", choices=INPUT_FORMATS, help="read every file as this format")
    check.add_argument("--stdin-filename", help="name to report (and detect the format from) for -")
    check.add_argument("--config", type=Path, help="use this config file instead of discovering one")
    check.add_argument("--select", type=_csv, help="comma-separated rule ids or families to run")
    check.add_argument("--extend-select", type=_csv, help="rules to add to the selection")
    check.add_argument("--ignore", type=_csv, help="comma-separated rule ids or families to skip")
    check.add_argument(
        "--fail-on", choices=FAIL_LEVELS, help="lowest severity that fails the run (default: error)"
    )
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument(
        "--fail-on-empty",
        action="store_true",
        help="exit 2 when no policy file was found to check (also: fail_on_empty in the config)",
    )
    check.add_argument("--today", type=_date, help="date to measure staleness against (YYYY-MM-DD)")
    check.add_argument("--language", help="force the language of every document (e.g. en, da)")
    check.add_argument(
        "--report-unused-disables",
        action="store_true",
        help="report policylint-disable comments that silence no finding (rule suppression.unused)",
    )
    check.add_argument(
        "--statistics",
        action="store_true",
        help="print a table of findings per rule (count, rule, severity, summary) instead of the "
        "findings; with --format json, the same rows as a JSON array",
    )
    check.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="print the findings and nothing else: no summary line, no notes on stderr "
        "(warnings and errors still)",
    )
    check.add_argument(
        "--timings",
        action="store_true",
        help="print where the time went (reading, parsing, spaCy, each rule family) on stderr",
    )
    check.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    check.add_argument(
        "--baseline", type=Path, help="report only findings not recorded in this baseline file"
    )
    check.add_argument(
        "--write-baseline", type=Path, help="record the current findings in this baseline file"
    )
    check.add_argument(
        "--jobs", "-j", type=int, help="worker processes (default: one per CPU core above 256 KB of files)"
    )
    check.add_argument("--no-cache", action="store_true", help="check every file, ignoring cached results")
    check.add_argument(
        "--cache-dir", type=Path, help="where to keep cached results (default: .policylint_cache)"
    )
    check.add_argument(
        "--color", choices=("auto", "always", "never"), default="auto", help="colour in text output"
    )
    check.add_argument(
        "--server",
        action="store_true",
        help="check in a warm background server, started if none runs (also: POLICYLINT_SERVER=1); "
        "same output and exit codes, without the start-up (about 1 s); see `policylint server`",
    )
    check.add_argument(
        "--no-server",
        dest="server",
        action="store_false",
        help="check in this process even if POLICYLINT_SERVER=1 (the last of --server and --no-server wins)",
    )
    web = check.add_argument_group("live pages (URL arguments)")
    web.add_argument(
        "--content-selector",
        metavar="CSS",
        help="check only what this selector picks (default: the first <main>, role=main or <article>)",
    )
    web.add_argument(
        "--remove-selector",
        metavar="CSS",
        help="drop what this selector picks instead of the default (nav, header, footer, aside, cookie banners)",
    )
    web.add_argument(
        "--save-fetched",
        metavar="DIR",
        type=Path,
        help="keep each fetched page, and what was checked, in DIR",
    )
    web.add_argument(
        "--site",
        metavar="URL",
        action="append",
        help="check the policy pages this site's home page links to, and say which it lacks (repeatable)",
    )
    web.add_argument(
        "--site-max-pages", metavar="N", type=int, default=20, help="pages checked per --site at most"
    )
    web.add_argument(
        "--site-delay", metavar="SECONDS", type=float, default=1.0, help="wait between requests to a site"
    )
    web.add_argument(
        "--fetch-timeout",
        metavar="SECONDS",
        type=float,
        default=20.0,
        help="give up on a page after this long",
    )

    outline = sub.add_parser("outline", help="print a file's section tree with kinds and lines")
    outline.add_argument("path", metavar="PATH")
    outline.add_argument(
        "--format", "--output-format", "-f", dest="format", choices=("text", "json"), default="text"
    )
    outline.add_argument("--input-format", choices=INPUT_FORMATS)
    outline.add_argument("--config", type=Path)

    rules = sub.add_parser("rules", help="list the available rules")
    rules.add_argument(
        "--format", "--output-format", "-f", dest="format", choices=("text", "json"), default="text"
    )
    rules.add_argument("--config", type=Path, help="include rule packs named by this config")
    rules.add_argument(
        "--language",
        metavar="CODE",
        help="show which rules lack the vocabulary they need in this language pack (built-in or from rule_paths)",
    )

    explain = sub.add_parser("explain", help="show a rule's rationale, source and examples")
    explain.add_argument("rule", metavar="RULE")
    explain.add_argument("--config", type=Path)

    sub.add_parser("lsp", help="run the language server on stdin/stdout (editors: docs/editors.md)")

    init = sub.add_parser("init", help="write a policylint.toml and a policy skeleton to start from")
    init.add_argument(
        "--profile",
        choices=("customer-service", "privacy-notice", "returns-policy", "terms"),
        default="customer-service",
        help="the kind of policy to start (default: customer-service)",
    )
    init.add_argument("--lang", default="en", help="language of the skeleton (default: en)")
    init.add_argument("--dir", type=Path, default=Path("."), help="where to write (default: current folder)")
    init.add_argument(
        "--force",
        action="store_true",
        help="overwrite existing files, and write policylint.toml even where another config applies",
    )
    init.add_argument(
        "--no-config",
        dest="write_config",
        action="store_false",
        help="write only the policy skeleton (keep the configuration you have)",
    )

    schema = sub.add_parser("schema", help="print the JSON Schema of --format json output")
    schema.add_argument("--diff", action="store_true", help="the schema of `diff --format json` instead")
    from .diff_cli import add_parser as add_diff_parser

    add_diff_parser(sub)

    server = sub.add_parser(
        "server",
        help="start, stop or inspect the warm server used by check --server",
        description="The warm server keeps spaCy and the rules loaded (about 105 MB) so that "
        "`check --server` starts in a fraction of a second. It serves only your user and the same "
        "policylint installation, and exits after --idle-timeout seconds without requests.",
    )
    actions = server.add_subparsers(dest="action", metavar="ACTION", parser_class=_Parser, required=True)
    start = actions.add_parser("start", help="start a server (check --server starts one when needed)")
    start.add_argument(
        "--idle-timeout",
        type=float,
        help="exit after this many seconds without requests (default: 900, or "
        "$POLICYLINT_SERVER_IDLE_TIMEOUT)",
    )
    start.add_argument("--foreground", action="store_true", help="serve in this process, logging to stderr")
    start.add_argument("--expect", help=argparse.SUPPRESS)  # the identity a starting client expects
    actions.add_parser("stop", help="stop every running server of yours (also outdated ones)")
    actions.add_parser("status", help="show the server's pid, socket, uptime and requests (exit 1 if none)")
    return parser


def _overrides(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.select is not None:
        overrides["select"] = args.select
    if args.extend_select:
        overrides["extend_select"] = args.extend_select
    if args.ignore:
        overrides["ignore"] = args.ignore
    if args.fail_on:
        overrides["fail_on"] = args.fail_on
    if args.today:
        overrides["today"] = args.today
    if args.language:
        overrides["language"] = args.language
    if args.report_unused_disables:
        overrides["report_unused_disables"] = True
    return overrides


def _show_progress(args: argparse.Namespace, count: int) -> bool:
    return (
        args.format == "text"
        and not args.no_progress
        and count >= 5
        and sys.stderr.isatty()
        and not os.environ.get("CI")
    )


class _Tee(io.TextIOBase):
    """Writes to the real stream and keeps a copy, answering ``isatty``/``fileno`` as the real
    stream does (rich decides colour from them), so a run can be recorded for replay."""

    def __init__(self, real: TextIO) -> None:
        self.real = real
        self.copy = io.StringIO()

    def write(self, text: str) -> int:
        self.copy.write(text)
        return self.real.write(text)

    def flush(self) -> None:
        self.real.flush()

    def isatty(self) -> bool:
        return self.real.isatty()

    def fileno(self) -> int:
        return self.real.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.real, "encoding", None) or "utf-8"


def _replay_store(args: argparse.Namespace) -> Any:
    """Where this command's recorded run lives, or None when the run may not be replayed or
    recorded: --no-cache, stdin input, a URL, a baseline to write, or no paths at all."""
    if args.no_cache or "-" in args.paths or args.write_baseline or not args.paths:
        return None
    if args.site or any(_is_url(p) for p in args.paths):
        return None  # a live page may have changed since the recorded run
    from .cache import default_cache_dir
    from .replay import RunStore, run_key

    return RunStore(args.cache_dir or default_cache_dir(), run_key(args.argv))


def _rendered_source(path: Path, input_format: str | None) -> str:
    """The text a Word or PDF file's findings point into (its rendering), for excerpts."""
    from .parsers import format_for_path
    from .parsers.office import parse_office
    from .reader import read_bytes

    fmt = input_format or format_for_path(str(path)) or "text"
    return parse_office(read_bytes(path, 50_000_000), fmt, str(path)).source


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    """``check``, replaying the recorded outcome when nothing it read has changed (replay.py)."""
    if not args.paths and not getattr(args, "site", None):
        args.paths = ["."]  # as ruff does: no path means the current folder (--site alone: none)
    started = time.perf_counter()
    store = _replay_store(args)
    if store is None:
        return _check_run(args, out, [])
    from . import replay

    outcome = store.replay()
    if outcome is not None:
        if args.output:
            _write_report(args.output, lambda handle: handle.write(outcome.stdout))
        else:
            out.write(outcome.stdout)
        sys.stderr.write(outcome.stderr)
        if args.timings:
            print(
                f"timings: replayed the recorded outcome of an unchanged run in "
                f"{time.perf_counter() - started:.3f} s (nothing was checked or loaded)",
                file=sys.stderr,
            )
        return int(outcome.code)
    outputs = {os.path.abspath(store.cache_root), *([os.path.abspath(args.output)] if args.output else [])}
    recorder = replay.RECORDER = replay.Recorder(outputs=frozenset(outputs))
    tee = _Tee(out)
    messages: list[str] = []
    try:
        code = _check_run(args, cast(TextIO, tee), messages)
    finally:
        replay.RECORDER = None
    if code != EXIT_ERROR:
        text = args.output.read_text(encoding="utf-8") if args.output else tee.copy.getvalue()
        store.record(recorder, replay.Outcome(text, "".join(messages), code))
    return code


def _check_run(args: argparse.Namespace, out: TextIO, messages: list[str]) -> int:
    """The check itself; ``messages`` collects what it tells the user on stderr (replayed too)."""

    def say(message: str) -> None:
        print(message, file=sys.stderr)
        messages.append(message + "\n")

    def note(message: str) -> None:
        """What is only good to know (not a warning or error): --quiet leaves it out."""
        if not args.quiet:
            say(message)

    if not args.no_cache:
        from . import regex_cache
        from .cache import user_cache_dir

        # Compiled patterns from earlier runs, in the user's cache (never the project's): the
        # imports below already compile some.
        regex_cache.CACHE_DIR = user_cache_dir()
        regex_cache.preload()
    from .config import ConfigResolver
    from .discover import discover
    from .engine import CheckedFile, check_source, internal_findings, validate_config
    from .findings import Report, Severity
    from .parsers import format_for_path
    from .reporters import RenderOptions, get_reporter
    from .runner import make_task, run_tasks

    if args.statistics and args.format not in STATISTICS_FORMATS:
        print(
            f"policylint: error: --statistics prints a table (--format text) or JSON (--format json), "
            f"not {args.format}",
            file=sys.stderr,
        )
        return EXIT_ERROR
    if args.jobs is not None and args.jobs < 1:
        print("policylint: error: --jobs must be 1 or more", file=sys.stderr)
        return EXIT_ERROR
    urls = [p for p in args.paths if _is_url(p)]
    missing = [p for p in args.paths if p != "-" and not _is_url(p) and not os.path.exists(p)]
    if missing:
        # Checked up front: a mistyped path in CI must not pass, nor read as "findings" (exit 1).
        print(f"policylint: error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_ERROR
    page_options = _page_options(args) if urls or args.site else None
    if (urls or args.site) and page_options is None:
        return EXIT_ERROR
    resolver = ConfigResolver(args.config, _overrides(args))
    known = None
    if args.baseline and not args.write_baseline:
        from .baseline import load_baseline

        known = load_baseline(args.baseline)  # a bad baseline fails before any work is done
    results: list[CheckedFile] = []
    stdin_text: str | None = None
    stdin_name = args.stdin_filename or "<stdin>"
    checked_configs: set[int] = set()

    from . import nlp

    nlp.FREEZE_HEAP = True  # this process ends after the run: see the flag's comment
    cache = None
    if not args.no_cache:
        from . import packs, readability
        from .cache import ResultCache, default_cache_dir

        cache = ResultCache(args.cache_dir or default_cache_dir())
        # Reduced lemma tables, parsed Pyphen patterns and parsed packs live with this version's
        # results, so that pruning keeps them (it empties every other folder of the cache as outdated).
        nlp.LEMMA_CACHE_DIR = cache.dir / "lemmas"
        readability.HYPHENATION_CACHE_DIR = cache.dir / "hyphenation"
        packs.PARSED_CACHE_DIR = cache.dir / "packs"

    def config_for(path: Path) -> Any:
        config = resolver.for_path(path)
        if id(config) not in checked_configs:
            if args.language:
                _check_language_option(args.language, config)
            _check_rule_options(args, config)
            # Validating loads every pack and builds every rule; a cache remembers configs that passed.
            if cache is None or not cache.known_valid(config):
                validate_config(config)
                if cache is not None:
                    cache.mark_valid(config)
            checked_configs.add(id(config))
        return config

    file_paths = [p for p in args.paths if p != "-" and not _is_url(p)]
    page_sources: dict[str, str] = {}
    if urls:
        from .fetch import check_page

        assert page_options is not None
        page_config = config_for(Path.cwd() / "page.html")  # pages use the config of the folder run in
        for url in urls:
            checked_page, page_text = check_page(url, page_config, page_options)
            results.append(checked_page)
            if page_text is not None:
                page_sources[url] = page_text
    for home in args.site or []:
        assert page_options is not None
        page_config = config_for(Path.cwd() / "page.html")
        results.extend(_check_site(home, args, page_config, page_options, page_sources, say, note))
    if "-" in args.paths:
        stdin_text = sys.stdin.read()
        config = config_for(Path(stdin_name) if args.stdin_filename else Path.cwd() / "stdin")
        fmt = args.input_format or (format_for_path(stdin_name) if args.stdin_filename else None)
        if fmt is None:
            from .discover import sniff_format

            fmt, why = sniff_format(stdin_text)
            note(
                f"policylint: read standard input as {fmt} ({why}); "
                "choose with --input-format or --stdin-filename"
            )
        results.append(check_source(stdin_text, fmt, stdin_name, config))
    tasks = [
        make_task(file, config_for(file), args.input_format)
        for file in discover([Path(p) for p in file_paths], resolver)
    ]
    empty = _empty_folders([Path(p) for p in file_paths], [task.path for task in tasks])
    if empty:
        say(
            f"policylint: warning: no policy files found under {', '.join(map(str, empty))} "
            f"(policy files end in {', '.join(POLICY_SUFFIXES)})"
        )
        first = resolver.for_path(Path(file_paths[0]))
        if not tasks and stdin_text is None and (args.fail_on_empty or first.fail_on_empty):
            print("policylint: error: nothing was checked (--fail-on-empty)", file=sys.stderr)
            return EXIT_ERROR
    progress = None
    advance = None
    if _show_progress(args, len(tasks)):
        from rich.progress import Progress

        progress = Progress(transient=True, console=_stderr_console())
        progress.start()
        task_id = progress.add_task("checking", total=len(tasks))

        def advance() -> None:
            assert progress is not None
            progress.advance(task_id)

    started = time.perf_counter()
    misses_before = cache.misses if cache is not None else 0
    try:
        results.extend(run_tasks(tasks, jobs=args.jobs, cache=cache, progress=advance))
    finally:
        if progress is not None:
            progress.stop()
    timings: dict[str, Any] | None = None
    if args.timings:  # shown after the report, with the time it took to write
        from . import regex_cache
        from .runner import workers_used
        from .timings import TIMINGS

        rechecked = (cache.misses - misses_before) if cache is not None else len(tasks)
        timings = {
            "seconds": TIMINGS.take(),
            "files": len(tasks),
            "from_cache": len(tasks) - rechecked,
            "wall": time.perf_counter() - started,
            "jobs": workers_used(),
            "patterns": None if args.no_cache else regex_cache.preloaded(),
        }
    if cache is not None and cache.misses:
        cache.prune()

    report_started = time.perf_counter()
    report = Report()
    for checked in results:
        report.files.append(checked.file)
        report.findings.extend(checked.findings)
    report.finalize()
    if args.write_baseline:
        from .baseline import write_baseline

        recorded = write_baseline(report.findings, args.write_baseline)
        note(f"policylint: recorded {recorded} findings in {args.write_baseline}")
    elif known is not None:
        from .baseline import filter_new

        report.findings, covered = filter_new(report.findings, known)
        report.finalize()
        if covered:
            note(f"policylint: {covered} findings in the baseline {args.baseline} are not shown")

    real_paths = {task.display: task.path for task in tasks}  # a display name may be escaped

    def source_of(path: str) -> str | None:
        if path == stdin_name and stdin_text is not None:
            return stdin_text
        if path in page_sources:
            return page_sources[path]
        try:
            from .parsers import BINARY_FORMATS, format_for_path
            from .reader import read_file

            if format_for_path(path) in BINARY_FORMATS:
                return _rendered_source(real_paths.get(path, Path(path)), args.input_format)
            return read_file(real_paths.get(path, Path(path)), 50_000_000).text
        except Exception:
            return None

    color = {"always": True, "never": False}.get(args.color)
    if os.environ.get("NO_COLOR") and args.color == "auto":
        color = False
    from .engine import catalog_for

    catalog = catalog_for(
        resolver.for_path(Path(file_paths[0])) if file_paths else resolver.for_directory(Path.cwd())
    )
    options = RenderOptions(source_of=source_of, color=color, extra={"catalog": catalog, "quiet": args.quiet})
    reporter = get_reporter(args.format)

    def emit(handle: TextIO) -> None:
        if args.statistics:
            _statistics(report, catalog, args.format, handle)
        else:
            reporter(report, handle, options)

    if args.output:
        _write_report(args.output, emit)
        note(f"policylint: wrote the report to {args.output}: {_summary_line(report)}")
    else:
        emit(out)
    if timings is not None:
        from .timings import render

        print(render(**timings, report=time.perf_counter() - report_started), file=sys.stderr)

    if not args.no_cache:
        regex_cache.store()  # after the report: never delays or changes what the user sees
    if internal_findings(report.findings):
        return EXIT_ERROR
    if args.exit_zero or args.write_baseline:
        return EXIT_OK
    first_input = Path(file_paths[0]) if file_paths else (Path.cwd() / "page.html" if urls else None)
    fail_on = args.fail_on or (resolver.for_path(first_input).fail_on if first_input else "error")
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in report.findings) else EXIT_OK


def _is_url(argument: str) -> bool:
    """An ``http://`` or ``https://`` argument is a live page to fetch, not a path."""
    return argument.lower().startswith(("http://", "https://"))


def _check_site(
    home: str,
    args: argparse.Namespace,
    config: Any,
    options: Any,
    sources: dict[str, str],
    say: Callable[[str], None],
    note: Callable[[str], None],
) -> list[Any]:
    """``--site``: the policy pages the home page links to, checked; the kinds it lacks, said."""
    from .engine import CheckedFile, catalog_for, read_error_finding
    from .fetch import FetchError, check_page
    from .findings import FileReport
    from .site import discover_site

    try:
        found = discover_site(
            home,
            catalog_for(config),
            max_pages=args.site_max_pages,
            delay=args.site_delay,
            timeout=options.timeout,
            max_bytes=config.max_file_bytes,
        )
    except FetchError as exc:
        return [
            CheckedFile(FileReport(path=home, format="html"), [read_error_finding(home, str(exc), config)])
        ]
    for line in found.skipped:
        note(f"policylint: {home}: not checked: {line}")
    if found.missing:
        say(f"policylint: warning: {home} links to no page about: {', '.join(found.missing)}")
    results = []
    for url in found.pages:
        time.sleep(args.site_delay)
        checked, text = check_page(url, config, options)
        results.append(checked)
        if text is not None:
            sources[url] = text
    return results


def _page_options(args: argparse.Namespace) -> Any:
    """How URL arguments are fetched, or None after a one-line error (no httpx, a bad selector)."""
    from .fetch import MissingExtraError, PageOptions, _httpx
    from .webcontent import SelectorError, parse_selector

    try:
        _httpx()
        for selector in (args.content_selector, args.remove_selector):
            if selector is not None:
                parse_selector(selector)
    except (MissingExtraError, SelectorError) as exc:
        print(f"policylint: error: {exc}", file=sys.stderr)
        return None
    if args.site_max_pages < 1 or args.site_delay < 0:
        print(
            "policylint: error: --site-max-pages must be 1 or more and --site-delay 0 or more",
            file=sys.stderr,
        )
        return None
    if args.fetch_timeout <= 0:
        print("policylint: error: --fetch-timeout must be more than 0 seconds", file=sys.stderr)
        return None
    return PageOptions(
        timeout=args.fetch_timeout,
        content_selector=args.content_selector,
        remove_selector=args.remove_selector,
        save_dir=args.save_fetched,
    )


def _summary_line(report: Any) -> str:
    s = report.summary
    files = f"{s.files} file{'' if s.files == 1 else 's'} checked"
    if not report.findings:
        return f"{files}, no findings"
    return f"{files}: {s.error} error{'' if s.error == 1 else 's'}, {s.warning} warning{'' if s.warning == 1 else 's'}, {s.info} info"


STATISTICS_FORMATS = ("text", "json")


def _statistics(report: Any, catalog: Any, fmt: str, out: TextIO) -> None:
    """``--statistics``: one row per rule (count, rule id, severity, summary), most frequent
    first, instead of the findings; a table, or with ``--format json`` a JSON array of objects
    with the same fields."""
    from collections import Counter

    counts = Counter(f.rule for f in report.findings)
    worst: dict[str, Any] = {}
    for f in report.findings:  # a severity override may differ between configs: show the highest
        if f.rule not in worst or f.severity.rank > worst[f.rule].rank:
            worst[f.rule] = f.severity
    rows = [
        {
            "count": count,
            "rule": rule,
            "severity": worst[rule].value,
            "summary": spec.summary if (spec := catalog.rules.get(rule)) is not None else "",
        }
        for rule, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    if fmt == "json":
        import json

        out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    if not rows:
        return
    width = max(len("rule"), *(len(r["rule"]) for r in rows))
    count_width = max(len("count"), *(len(str(r["count"])) for r in rows))
    out.write(f"{'count':>{count_width}}  {'rule':<{width}}  severity  summary\n")
    for r in rows:
        out.write(f"{r['count']:>{count_width}}  {r['rule']:<{width}}  {r['severity']:<8}  {r['summary']}\n")


def _write_report(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write the report to ``--output``; a path that cannot be written is a usage error (exit 2)
    named in one line, not a traceback with exit code 1, which CI would read as findings."""
    from .errors import PolicylintError

    try:
        with path.open("w", encoding="utf-8") as handle:
            write(handle)
    except OSError as exc:
        raise PolicylintError(f"error: cannot write the report to {path}: {exc.strerror or exc}") from None


def _check_rule_options(args: argparse.Namespace, config: Any) -> None:
    """Refuse a rule id or family in ``--select``/``--extend-select``/``--ignore`` that matches no
    rule, naming the option (the config's own lists are checked, naming its file, afterwards)."""
    from .engine import catalog_for
    from .selection import check_patterns

    ids = list(catalog_for(config).rules)
    for option, patterns in (
        ("--select", args.select),
        ("--extend-select", args.extend_select),
        ("--ignore", args.ignore),
    ):
        check_patterns("", option, patterns or [], ids)


def _check_language_option(code: str, config: Any) -> None:
    """Refuse a ``--language`` no pack covers (with this config's packs), naming the option:
    otherwise every language rule would be skipped and the run would pass."""
    from .config import unknown_language
    from .engine import catalog_for
    from .errors import ConfigError

    languages = catalog_for(config).languages
    problem = unknown_language("--language", code, {c: p.language.name for c, p in languages.items()})
    if problem is not None:
        raise ConfigError(problem)


POLICY_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".txt")


def _empty_folders(roots: list[Path], files: list[Path]) -> list[Path]:
    """The folders among ``roots`` in which discovery found no policy file: a mistyped or empty
    folder would otherwise pass as "0 files checked"."""
    return [root for root in roots if root.is_dir() and not any(file.is_relative_to(root) for file in files)]


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(file=sys.stderr)


_PROFILE_SOURCE_LABELS = {
    "config": "config",
    "title": "title",
    "path": "file name",
    "content": "sections' content",
    "default": "default: no title, file name or content named a kind",
}


def _cmd_outline(args: argparse.Namespace, out: TextIO) -> int:
    from .api import load_document
    from .config import ConfigResolver
    from .engine import analyse
    from .reader import ReadError, display_path

    path = Path(args.path)
    config = ConfigResolver(args.config).for_path(path)
    try:
        document = load_document(path, args.input_format, config)  # the library's answer, classified
    except ReadError as exc:
        print(f"policylint: {path} {exc}", file=sys.stderr)
        return EXIT_ERROR
    pack, ctx = analyse(document, config, classified=True)
    from .profiles import find_parts, required_kinds, required_parts

    wanted = [*required_kinds(ctx.profile, config), *required_parts(ctx.profile)]
    evidence = find_parts(document, pack, wanted, ctx.section_packs)
    requirements: list[dict[str, Any]] = []
    for part in wanted:
        found = evidence.get(part)
        requirements.append(
            {
                "part": part,
                "label": pack.kind_label(part),
                "found": found is not None,
                "section": found.section.title if found is not None and found.section is not None else None,
                "line": found.line if found is not None else None,
            }
        )
    if args.format == "json":
        import json

        def node(sec: Any) -> dict[str, Any]:
            return {
                "title": sec.title,
                "kind": sec.kind,
                "level": sec.level,
                "line": sec.line,
                "end_line": sec.end_line,
                "language": sec.language,
                "children": [node(c) for c in sec.children],
            }

        data = {
            "path": display_path(path),
            "format": document.format,
            "language": pack.code,
            "profile": ctx.profile_name,
            "profile_source": ctx.profile_source,
            "profile_evidence": ctx.profile_evidence,
            "requires": requirements,
            "sections": [node(s) for s in document.root.children],
        }
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    from rich.console import Console
    from rich.tree import Tree

    label = ctx.profile.label if ctx.profile else ctx.profile_name
    tree = Tree(
        f"[bold]{path}[/] ({document.format}, {pack.language.name}, "
        f"profile: {label} [dim]from the {_PROFILE_SOURCE_LABELS.get(ctx.profile_source, ctx.profile_source)}[/])"
    )
    stack: list[tuple[int, Tree]] = [(0, tree)]
    for sec in document.sections():
        while stack[-1][0] >= sec.level:
            stack.pop()
        kind = f"[cyan]{sec.kind}[/]" if sec.kind != "other" else "[dim]other[/]"
        # Where the language changes (a Danish section in an English policy), say so: that
        # section and those under it are checked with that language's rules.
        changed = sec.parent is not None and sec.language != sec.parent.language
        lang = f"  [magenta]language: {sec.language or pack.code}[/]" if changed else ""
        branch = stack[-1][1].add(
            f"{sec.title or '(untitled)'}  {kind}{lang}  [dim]lines {sec.line}-{sec.end_line}[/]"
        )
        stack.append((sec.level, branch))
    console = Console(file=out, highlight=False, soft_wrap=True, width=None if out.isatty() else 160)
    console.print(tree)
    if requirements:
        console.print(f"\n[bold]Required by the {label} profile[/]")
        for item in requirements:
            if item["found"]:
                where = (
                    f"“{item['section']}”, line {item['line']}"
                    if item["section"]
                    else f"wording at line {item['line']}"
                )
                console.print(f"  [green]✓[/] {item['label']}  [dim]{where}[/]")
            else:
                console.print(f"  [red]✗[/] {item['label']}  [dim]not found[/]")
    return EXIT_OK


def _catalog(config_path: Path | None) -> Any:
    from .engine import catalog_for

    return catalog_for(_directory_config(config_path))


def _directory_config(config_path: Path | None) -> Any:
    """The config of the current folder, or the one ``--config`` names (for_directory alone
    ignored ``--config``, so `rules --config` never showed the packs it adds)."""
    from .config import ConfigResolver

    return ConfigResolver(config_path).for_path(Path.cwd().resolve())


#: How `policylint rules --language` shows whether a rule has its words in that language.
_VOCABULARY_LABELS = {True: "yes", False: "MISSING", None: "n/a"}


def _cmd_rules(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import catalog_for, vocabulary_status

    config = _directory_config(args.config)
    catalog = catalog_for(config)
    specs = sorted(catalog.rules.values(), key=lambda s: s.id)
    status: dict[str, bool | None] | None = None
    if args.language is not None:
        if args.language not in catalog.languages:
            known = ", ".join(sorted(catalog.languages))
            print(f"policylint: no language pack {args.language!r}; known: {known}", file=sys.stderr)
            return EXIT_ERROR
        status = vocabulary_status(config, args.language)
    if args.format == "json":
        import json

        rows: list[dict[str, Any]] = []
        for s in specs:
            row: dict[str, Any] = {
                "id": s.id,
                "kind": s.kind,
                "severity": s.severity.value,
                "summary": s.summary,
            }
            if status is not None:
                row["vocabulary"] = status.get(s.id)
            rows.append(row)
        out.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, box=None, pad_edge=False)
    table.add_column("rule", style="bold")
    table.add_column("severity")
    if status is not None:
        table.add_column(f"words in {args.language}")
    table.add_column("summary")
    for spec in specs:
        cells = [spec.id, spec.severity.value]
        if status is not None:
            cells.append(_VOCABULARY_LABELS[status.get(spec.id)])
        table.add_row(*cells, spec.summary)
    console = Console(file=out, highlight=False)
    console.print(table)
    if status is not None:
        console.print(_vocabulary_summary(args.language, status), markup=False)
    return EXIT_OK


def _vocabulary_summary(lang: str, status: dict[str, bool | None]) -> str:
    """The line under `policylint rules --language`: which rules are skipped in that language."""
    missing = sorted(rule_id for rule_id, ok in status.items() if ok is False)
    if not missing:
        return f"Every rule that needs words has them in {lang}."
    return (
        f"{len(missing)} rule{'s' if len(missing) != 1 else ''} lack the vocabulary they need in {lang} "
        f"and are skipped on documents in it (reported as language.partial): {', '.join(missing)}. "
        f'Add their words under [rules."<rule id>"] in a {lang} language pack.'
    )


def _cmd_explain(args: argparse.Namespace, out: TextIO) -> int:
    catalog = _catalog(args.config)
    spec = catalog.rules.get(args.rule)
    if spec is None:
        import difflib

        close = difflib.get_close_matches(args.rule, list(catalog.rules), n=3)
        hint = f" Did you mean: {', '.join(close)}?" if close else " See `policylint rules`."
        print(f"policylint: unknown rule {args.rule!r}.{hint}", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"{spec.id}  ({spec.severity.value}, kind: {spec.kind})\n\n")
    out.write(f"{spec.summary}\n\n")
    out.write(f"Why: {' '.join(spec.rationale.split())}\n\n")
    out.write(f"Source: {' '.join(spec.source.split())}\n\n")
    out.write("Bad:\n" + _indent(spec.example.bad) + "\n\nGood:\n" + _indent(spec.example.good) + "\n")
    return EXIT_OK


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.strip().splitlines())


def _cmd_init(args: argparse.Namespace, out: TextIO) -> int:
    from .config import Config
    from .engine import catalog_for
    from .init import run_init

    result = run_init(
        args.dir,
        catalog_for(Config()),
        args.profile,
        args.lang,
        dt.date.today(),
        args.force,
        args.write_config,
    )
    for path in result.written:
        out.write(f"wrote {path}\n")
    for path in result.skipped:
        out.write(f"kept {path} (it exists; use --force to overwrite)\n")
    if result.shadowed is not None:
        out.write(
            f"note: {args.dir / 'policylint.toml'} now takes precedence over {result.shadowed} "
            "for files in this folder; settings are not merged\n"
        )
    if result.written:
        policy = args.dir / f"{args.profile}.md"
        out.write(
            f"\nNext: fill in each section of {policy}, then run `policylint check {policy}`.\n"
            "Until a section is filled in, policylint reports it as empty.\n"
        )
    return EXIT_OK


def _cmd_schema(out: TextIO) -> int:
    import json

    from .findings import Report

    out.write(json.dumps(Report.model_json_schema(), indent=2) + "\n")
    return EXIT_OK


_TRUE = ("1", "true", "yes", "on")


def _cmd_server(args: argparse.Namespace) -> int:
    from . import client
    from .serverid import ServerUnavailable, server_files, supported

    try:
        if args.action == "status":
            return client.status()
        if args.action == "stop":
            return client.stop()
        reason = supported()
        if reason is not None:
            print(f"policylint server: not available: {reason}", file=sys.stderr)
            return EXIT_ERROR
        idle = args.idle_timeout if args.idle_timeout is not None else client.idle_timeout()
        if idle <= 0:
            print("policylint: error: --idle-timeout must be more than 0", file=sys.stderr)
            return EXIT_ERROR
        files = server_files()
        if args.expect and args.expect != files.name:
            print(
                f"policylint server: this process would serve {files.name}, not {args.expect} "
                "(a different interpreter, import path or policylint); not starting",
                file=sys.stderr,
            )
            return EXIT_ERROR
        if args.foreground:
            from .server import serve

            return serve(files, idle, run)
        return client.start(files, idle)
    except ServerUnavailable as exc:
        print(f"policylint server: {exc}", file=sys.stderr)
        return EXIT_ERROR


def _server_argv(argv: list[str]) -> list[str] | None:
    """``argv`` without ``--server`` when it asks for a check in the server (by the flag or
    $POLICYLINT_SERVER), else None. Decided on the raw arguments, before argparse and the heavy
    imports, so the client stays light. The last of ``--server`` and ``--no-server`` wins, and
    either wins over the environment (a hook's ``--no-server`` beats a developer's shell)."""
    if not argv or argv[0] != "check":
        return None
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in ("--server", "--no-server")]
    if flags:
        if flags[-1] == "--no-server":
            return None
    elif os.environ.get("POLICYLINT_SERVER", "").strip().lower() not in _TRUE:
        return None
    return [a for i, a in enumerate(argv) if a != "--server" or i >= end]


def single_threaded_blas(environ: MutableMapping[str, str], loaded: Collection[str]) -> bool:
    """Ask OpenBLAS for one thread, unless the user chose a number or numpy is already loaded.

    spaCy imports numpy, and numpy's OpenBLAS starts a thread per core at import; each spins
    for about 0.1 s waiting for matrix work that a linter never gives it (measured here: importing
    numpy took 0.21 CPU s with the default threads and 0.10 s with one, on 2 cores; a 64-core CI
    runner would burn some 6 CPU seconds per run). Only the command does this (:func:`entry`): a
    program that imports policylint keeps its own BLAS settings. Returns whether it set it.
    """
    if "numpy" in loaded or "OPENBLAS_NUM_THREADS" in environ:
        return False
    environ["OPENBLAS_NUM_THREADS"] = "1"
    return True


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Entry point; returns the exit code (``sys.exit`` is called by the console script wrapper).

    ``check --server`` goes to the warm server; if it cannot be used, the check runs here."""
    raw = list(argv) if argv is not None else sys.argv[1:]
    try:
        code = _main(raw, out)
        if out is None:
            sys.stdout.flush()  # here, where a closed pipe can still be caught
        return code
    except BrokenPipeError:
        # The reader went away (`policylint check --format sarif | head`): stop quietly, as Unix
        # tools do when SIGPIPE ends them, instead of a traceback; the exit code is the one a
        # shell reports for such a tool. Python would flush stdout again at exit: point it at
        # the null device so that it does not complain either.
        if out is None:
            _detach_stdout()
        return EXIT_BROKEN_PIPE


def _detach_stdout() -> None:
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real descriptor behind sys.stdout
        pass


def _main(raw: list[str], out: TextIO | None) -> int:
    served = _server_argv(raw)
    if served is not None:
        if out is None:  # a caller's own output stream cannot be handed to a server
            from . import client
            from .serverid import ServerUnavailable

            try:
                return client.check(served)
            except ServerUnavailable as exc:
                print(f"policylint: not using the server ({exc}); checking in this process", file=sys.stderr)
        raw = served
    return run(raw, out)


def entry() -> int:
    """The ``policylint`` script, ``python -m policylint`` and the server: :func:`main`, in a process
    of its own, so with process-wide settings that suit a linter: one BLAS thread (see
    :func:`single_threaded_blas`) and Python's garbage collector paused until a check has built its
    pipeline and frozen the heap (see heap.py). :func:`main` itself, which tests and other programs
    call in their own process, changes neither."""
    from . import heap

    single_threaded_blas(os.environ, sys.modules)
    heap.pause()
    return main()


def run(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """The command itself, in this process (the server's children call this too)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(argv) if argv is not None else sys.argv[1:]
    stream = out if out is not None else sys.stdout
    if args.command is None:
        parser.print_help(stream)
        return EXIT_ERROR
    if args.command != "check":
        from . import heap

        heap.resume()  # only a check's start-up is worth pausing the collector for (see heap.py)
    from .errors import PolicylintError

    try:
        if args.command == "check":
            return _cmd_check(args, stream)
        if args.command == "outline":
            return _cmd_outline(args, stream)
        if args.command == "rules":
            return _cmd_rules(args, stream)
        if args.command == "explain":
            return _cmd_explain(args, stream)
        if args.command == "schema":
            if args.diff:
                from .diff_cli import schema

                return schema(stream)
            return _cmd_schema(stream)
        if args.command == "diff":
            from .diff_cli import run as run_diff

            return run_diff(args, stream)
        if args.command == "init":
            return _cmd_init(args, stream)
        if args.command == "server":
            return _cmd_server(args)
        if args.command == "lsp":
            from .lsp import run as run_lsp

            return run_lsp()
    except PolicylintError as exc:
        print(f"policylint: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("policylint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    parser.error(f"unknown command {args.command!r}")
    return EXIT_ERROR  # pragma: no cover


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
