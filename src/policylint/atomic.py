"""Replacing a file atomically: readers see the old file or the whole new one, never a part.

The result cache, the replay records, lemma and hyphenation tables, baselines and the server's
status file are all written this way, because another policylint (a parallel pre-commit hook,
a CI job sharing the cache) may read the file at any moment.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8, in text mode) to ``path`` through a temporary file in the same folder.

    Creates the folder. The temporary file is ``.tmp-<random><suffix of path>``, so a cache
    prune that looks for the path's suffix also removes one left by a killed process; one left
    by a failed write is removed here. Raises ``OSError`` like ``Path.write_text``.
    """
    _write_atomically(path, lambda fd: os.fdopen(fd, "w", encoding="utf-8"), text)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """:func:`write_text_atomically` for bytes, written as they are."""
    _write_atomically(path, lambda fd: os.fdopen(fd, "wb"), data)


def _write_atomically(path: Path, opener: Callable[[int], IO[Any]], content: Any) -> None:
    import tempfile  # not at the top: it imports shutil, bz2 and lzma, and a replay writes nothing

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with opener(fd) as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
