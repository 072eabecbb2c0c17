"""Reading one file into a Document: the first step of every check, below everything that runs one.

The library API (``api``), the runner and its helper process (``prepare``) all start a file the
same way: pick its format, read it (text or, for .docx/.odt/.pdf, bytes), parse it into sections.
It lives here, under all three, so that none of them imports another to do it. A file that
cannot be read or parsed is not an exception for a caller checking many files: it becomes that
file's finished result (``io.unreadable``, ``io.parse-error``), and the other files go on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .document import Document
from .engine import CheckedFile, check_document, parse_source, read_error_finding, unparsable
from .findings import FileReport
from .parsers import BINARY_FORMATS, format_for_path, parse
from .reader import ReadError, display_path, read_bytes, read_file
from .timings import TIMINGS


@dataclass(frozen=True, slots=True)
class Task:
    """One file to check: where it is, the config that applies to it, its format and how its
    path is shown. Small and picklable: it crosses to worker and helper processes."""

    path: Path
    config: Config
    fmt: str
    display: str


def make_task(path: Path, config: Config, input_format: str | None) -> Task:
    """The task for ``path``: the format asked for, else the one its name says, else text."""
    fmt = input_format or format_for_path(str(path)) or "text"
    return Task(path=path, config=config, fmt=fmt, display=display_path(path))


def read_document(path: str | Path, config: Config, fmt: str | None = None) -> Document:
    """Read and parse one file (not classified). Raises :class:`ReadError` when it cannot be
    read and ``ValueError`` when a binary format is damaged."""
    file = Path(path)
    chosen = fmt or format_for_path(str(file)) or "text"
    if chosen in BINARY_FORMATS:
        return _parse_binary(file, chosen, display_path(path), config)
    source = read_file(file, config.max_file_bytes)
    document = parse(source.text, chosen, display_path(path))
    document.encoding = source.encoding
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
