"""``policylint diff``: review a policy change (two files, or each changed file against a Git revision).

Kept out of cli.py so that the command's options and handler live beside each other; cli.py only
registers the subparser and calls :func:`run`. Exit codes are ``check``'s: 0 nothing at or above
``--fail-on``, 1 findings at or above it, 2 a usage or configuration error (such as a ``--base``
revision that does not exist). A single version that cannot be read is a finding naming it, and
every other file is still compared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FAIL_LEVELS = ("error", "warning", "info", "never")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_parser(sub: Any) -> None:
    """Register ``diff`` on cli.py's subparsers."""
    diff = sub.add_parser(
        "diff",
        help="review a policy change: material changes, their direction for customers, notice",
        description="Compare two versions of a policy (OLD NEW), or with --base REF each policy file "
        "changed since that Git revision, and report material changes: what customers gain or lose.",
    )
    diff.add_argument(
        "paths", nargs="*", metavar="PATH", help="OLD NEW, or with --base: files or folders to limit to"
    )
    diff.add_argument(
        "--base", metavar="REF", help="compare changed policy files with their version at this Git revision"
    )
    diff.add_argument(
        "--format", "-f", choices=("text", "json", "markdown", "github", "sarif"), default="text"
    )
    diff.add_argument("--config", type=Path, help="use this config file instead of discovering one")
    diff.add_argument(
        "--fail-on", choices=FAIL_LEVELS, help="lowest severity that fails the run (default: error)"
    )
    diff.add_argument("--today", type=_date, help="the day the change is judged on (YYYY-MM-DD)")
    diff.add_argument(
        "--changed-on", type=_date, help="the day customers are told of the change (default: --today)"
    )
    diff.add_argument(
        "--lint",
        choices=("none", "text", "all"),
        default="text",
        help="lint rules to run on both versions to report new findings: none, those without spaCy "
        "(default), or all",
    )
    diff.add_argument("--select", type=_csv, help="comma-separated rule ids or families to report")
    diff.add_argument("--ignore", type=_csv, help="comma-separated rule ids or families not to report")
    diff.add_argument("--language", help="force the language of every document (e.g. en, da)")
    diff.add_argument("--output", "-o", type=Path, help="write the report to this file instead of stdout")
    diff.add_argument(
        "--no-cache", action="store_true", help="neither read nor store compiled patterns in the user cache"
    )


def _config(args: argparse.Namespace) -> Any:
    """A fixed config when --config or overrides are given, else None (nearest config file)."""
    from .config import Config, ConfigResolver

    overrides: dict[str, Any] = {}
    for key in ("select", "ignore", "today", "language", "fail_on"):
        value = getattr(args, key, None)
        if value is not None:
            overrides[key] = value
    if args.config is None and not overrides:
        return None
    start = Path(args.paths[-1]) if args.paths else Path.cwd() / "policy.md"
    base: Config = ConfigResolver(args.config).for_path(start)
    return base.model_copy(update=overrides) if overrides else base


def run(args: argparse.Namespace, out: TextIO) -> int:
    """The command; compiled patterns come from and go to the user cache, as for ``check``."""
    from . import regex_cache

    if not args.no_cache:
        from .cache import user_cache_dir

        regex_cache.CACHE_DIR = user_cache_dir()
        regex_cache.preload()
    code = _run(args, out)
    if not args.no_cache and code != EXIT_ERROR:
        regex_cache.store()
    return code


def _run(args: argparse.Namespace, out: TextIO) -> int:
    from .changes import DiffError, diff_git, diff_paths
    from .changes.render import render
    from .engine import validate_config

    config = _config(args)
    if config is not None:
        validate_config(config)
    try:
        if args.base is not None:
            report = diff_git(
                args.base,
                args.paths,
                config,
                config_path=args.config,
                changed_on=args.changed_on,
                lint=args.lint,
            )
        elif len(args.paths) == 2:
            old, new = args.paths
            report = diff_paths(
                old, new, config, config_path=args.config, changed_on=args.changed_on, lint=args.lint
            )
        else:
            print("policylint diff: give OLD and NEW, or --base REF [PATH...]", file=sys.stderr)
            return EXIT_ERROR
    except DiffError as exc:
        print(f"policylint diff: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.output:
        with args.output.open("w", encoding="utf-8") as handle:
            render(report, args.format, handle)
    else:
        render(report, args.format, out)
    return _exit_code(report, args, config)


def _exit_code(report: Any, args: argparse.Namespace, config: Any) -> int:
    from .findings import Severity

    findings = report.findings()
    if any(f.rule.startswith("internal.") for f in findings):
        return EXIT_ERROR
    fail_on = args.fail_on or (config.fail_on if config is not None else "error")
    if fail_on == "never":
        return EXIT_OK
    threshold = Severity(fail_on).rank
    return EXIT_FINDINGS if any(f.severity.rank >= threshold for f in findings) else EXIT_OK


def schema(out: TextIO) -> int:
    """``policylint schema --diff``: the JSON Schema of ``diff --format json``."""
    import json

    from .changes.model import ChangeReport

    out.write(json.dumps(ChangeReport.model_json_schema(), indent=2) + "\n")
    return EXIT_OK
