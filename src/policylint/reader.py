"""Bytes to text: encodings, byte-order marks, binary files and size limits.

Policies arrive as UTF-8 from editors, as UTF-16 from Word exports and as Windows-1252 from old
websites. Reading must never guess silently: the encoding assumed is reported for every file that
is not plain UTF-8, and a file that is not text is skipped with a reason.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class ReadError(Exception):
    """A file that cannot be checked; the message says why, for the finding that reports it."""


@dataclass(frozen=True, slots=True)
class SourceText:
    text: str
    encoding: str


def decode(data: bytes) -> SourceText:
    """Decode file bytes: BOMs first, then UTF-8, then a detected legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return SourceText(data.decode(encoding), encoding)
            except UnicodeDecodeError as exc:
                raise ReadError(
                    f"starts with a {encoding} byte-order mark but is not valid {encoding}: {exc}"
                ) from None
    if b"\x00" in data[:8192]:
        raise ReadError("looks like a binary file (contains NUL bytes); not checked")
    try:
        return SourceText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    guess = _detect(data)
    try:
        return SourceText(data.decode(guess), guess)
    except (UnicodeDecodeError, LookupError):
        return SourceText(data.decode("latin-1"), "latin-1")


def _detect(data: bytes) -> str:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional dependency
        return "cp1252"
    best = from_bytes(data[:200_000]).best()
    if best is None:
        return "cp1252"
    return str(best.encoding)


def read_file(path: Path, max_bytes: int) -> SourceText:
    """Read and decode one file, or raise :class:`ReadError` with a reason a user understands."""
    try:
        if path.is_symlink() and not path.exists():
            raise ReadError("is a broken symbolic link")
        if path.is_dir():
            raise ReadError("is a directory, not a file")
        size = path.stat().st_size
        if size > max_bytes:
            raise ReadError(
                f"is {size:,} bytes, above the limit of {max_bytes:,} (`max_file_bytes` in the config)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise ReadError("cannot be read: permission denied") from None
    except FileNotFoundError:
        raise ReadError("does not exist") from None
    except OSError as exc:
        raise ReadError(f"cannot be read: {exc.strerror or exc}") from None
    return decode(data)
