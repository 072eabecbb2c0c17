"""Replacing a file atomically: readers see the old file or the whole new one, never a part.

The result cache, the replay records, lemma and hyphenation tables, baselines and the server's
status file are all written this way, because another policylint (a parallel pre-commit hook,
a CI job sharing the cache) may read the file at any moment.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    Creates the folder. The temporary file is ``.tmp-<random><suffix of path>``, so a cache
    prune that looks for ``*.json`` also removes one left by a killed process; one left by a
    failed write is removed here. Raises ``OSError`` like ``Path.write_text``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
