"""The library API: what ``import policylint`` offers. The CLI is a thin layer over these."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .config import Config, ConfigResolver, as_config
from .document import Document
from .engine import CheckedFile, check_source, classify
from .findings import Report
from .loading import check_file as check_file  # re-exported: reading a file lives in loading.py
from .loading import load_file as load_file
from .loading import read_document
from .parsers import FORMATS

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
    resolved = ConfigResolver().for_path(Path(path)) if config is None else as_config(config)
    document = read_document(path, resolved, format)
    classify(document, resolved)
    return document


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
    from .loading import make_task
    from .runner import run_tasks

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
