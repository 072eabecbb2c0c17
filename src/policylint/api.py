"""The library API: what ``import policylint`` offers. The CLI is a thin layer over these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .config import Config, ConfigResolver, as_config
from .document import Document
from .engine import CheckedFile, check_document, check_source, parse_source, read_error_finding
from .findings import FileReport, Report
from .parsers import BINARY_FORMATS, FORMATS, format_for_path, parse
from .reader import ReadError, display_path, read_bytes, read_file
from .timings import TIMINGS

ProgressCallback = Callable[[Path], None]


def check_text(
    text: str,
    format: str = "markdown",
    config: Config | dict[str, Any] | None = None,
    path: str = "<text>",
) -> Report:
    """Check policy text in memory. ``format`` is ``markdown``, ``html`` or ``text``."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}")
    resolved = as_config(config)
    checked = check_source(text, format, path, resolved)
    return _report([checked])


def load_document(
    path: str | Path, format: str | None = None, config: Config | dict[str, Any] | None = None
) -> Document:
    """Read, parse and classify one file (no rules run): the document ``policylint outline``
    shows, with the same section kinds and languages, because both come from here.

    Without ``config`` the nearest config file applies, as for ``policylint check``; its
    ``language``, ``default_language`` and rule packs decide the languages and kinds.
    Raises :class:`~policylint.reader.ReadError` for a file that cannot be read.
    """
    from .engine import classify

    file = Path(path)
    resolved = ConfigResolver().for_path(file) if config is None else as_config(config)
    fmt = format or format_for_path(str(file)) or "text"
    if fmt in BINARY_FORMATS:
        document = _parse_binary(file, fmt, display_path(path), resolved)
    else:
        source = read_file(file, resolved.max_file_bytes)
        document = parse(source.text, fmt, display_path(path))
        document.encoding = source.encoding
    classify(document, resolved)
    return document


def _parse_binary(file: Path, fmt: str, shown: str, config: Config) -> Document:
    """A .docx, .odt or .pdf file's Document; :class:`ReadError` when it cannot be read (the
    extra missing, an encrypted PDF), ``ValueError`` when it is damaged. Read as bytes, before
    the text reader, which would reject it as binary."""
    from .parsers.office import MissingExtra, OfficeUnreadable, parse_office

    data = read_bytes(file, config.max_file_bytes)
    try:
        return parse_office(data, fmt, shown)
    except (MissingExtra, OfficeUnreadable) as exc:
        raise ReadError(str(exc)) from None


def load_file(
    path: Path, config: Config, fmt: str | None = None, display: str | None = None
) -> Document | CheckedFile:
    """Read and parse one file for checking: its Document, or the finished result of a file that
    cannot be read (``io.unreadable``) or parsed (``io.parse-error``)."""
    shown = display or display_path(path)
    chosen = fmt or format_for_path(str(path)) or "text"
    if chosen in BINARY_FORMATS:
        return _load_binary(path, config, chosen, shown)
    try:
        with TIMINGS.timed("read"):
            source = read_file(path, config.max_file_bytes)
    except ReadError as exc:
        return CheckedFile(
            FileReport(path=shown, format=chosen), [read_error_finding(shown, str(exc), config)]
        )
    return parse_source(source.text, chosen, shown, config, source.encoding)


def _load_binary(path: Path, config: Config, fmt: str, shown: str) -> Document | CheckedFile:
    """:func:`load_file` for a .docx, .odt or .pdf file: what cannot be read (the extra missing,
    an encrypted PDF) is ``io.unreadable``, what is damaged ``io.parse-error``."""
    from .engine import unparsable

    try:
        with TIMINGS.timed("parse"):
            return _parse_binary(path, fmt, shown, config)
    except ReadError as exc:
        return CheckedFile(FileReport(path=shown, format=fmt), [read_error_finding(shown, str(exc), config)])
    except ValueError as exc:
        return unparsable(shown, fmt, str(exc), config)
    except Exception as exc:  # a reader's crash on a hostile file is that file's problem only
        return unparsable(shown, fmt, f"could not be parsed as {fmt}: {type(exc).__name__}: {exc}", config)


def check_file(path: Path, config: Config, fmt: str | None = None, display: str | None = None) -> CheckedFile:
    """Read and check one file; reading problems become an ``io.unreadable`` finding."""
    loaded = load_file(path, config, fmt, display)
    return loaded if isinstance(loaded, CheckedFile) else check_document(loaded, config)


def check_paths(
    paths: Iterable[str | Path],
    config: Config | dict[str, Any] | None = None,
    *,
    config_path: str | Path | None = None,
    format: str | None = None,
    jobs: int = 1,
    cache_dir: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Check files and folders. Without ``config``, each file uses the nearest config file.

    ``jobs`` > 1 checks files in that many worker processes; ``cache_dir`` enables the result
    cache the CLI uses (off by default in the library, so calls have no side effects).
    """
    from .cache import ResultCache
    from .discover import discover
    from .engine import validate_config
    from .runner import make_task, run_tasks

    if config is not None:
        resolver = ConfigResolver(fixed=as_config(config))
    else:
        resolver = ConfigResolver(Path(config_path) if config_path else None)
    tasks = []
    validated: set[int] = set()
    for file in discover([Path(p) for p in paths], resolver):
        file_config = resolver.for_path(file)
        if id(file_config) not in validated:
            validate_config(file_config)
            validated.add(id(file_config))
        tasks.append(make_task(file, file_config, format))
    cache = ResultCache(Path(cache_dir)) if cache_dir is not None else None
    callback = None
    if progress is not None:
        remaining = iter(tasks)

        def callback() -> None:
            progress(next(remaining).path)

    return _report(run_tasks(tasks, jobs=jobs, cache=cache, progress=callback))


def _report(results: Iterable[CheckedFile]) -> Report:
    report = Report()
    for checked in results:
        report.files.append(checked.file)
        report.findings.extend(checked.findings)
    return report.finalize()
