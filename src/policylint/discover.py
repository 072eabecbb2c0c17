"""Which files a run checks: explicit files always, folders walked for policy formats.

Folders are walked in sorted order (deterministic output), skipping VCS and build folders,
``.gitignore`` patterns found along the way, and the config's ``exclude`` patterns (gitignore
syntax, relative to the config file's folder, or to the current folder without a config file).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pathspec

from .config import ConfigResolver
from .parsers import format_for_path
from .replay import note_dir, note_file

ALWAYS_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".policylint_cache",
        "site-packages",
    }
)
WALKED_FORMATS = frozenset({"markdown", "html", "text"})
#: Walked only when the ``office`` extra can read them: without it a folder that holds a PDF
#: manual or a Word draft next to its Markdown policies keeps checking as before, rather than
#: failing on files the user never asked for. A file named on the command line is always checked
#: (and says which extra it needs).
OFFICE_WALKED = frozenset({"docx", "odt", "pdf"})
#: Files that sit in every repository and are never policies (matched on the name before the suffix).
NOT_POLICIES = frozenset(
    {
        "readme",
        "license",
        "licence",
        "copying",
        "changelog",
        "changes",
        "contributing",
        "code_of_conduct",
        "authors",
        "notice",
        "history",
    }
)


def _gitignore(directory: Path) -> pathspec.PathSpec[Any] | None:
    path = directory / ".gitignore"
    if not path.is_file():
        return None
    note_file(path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.PathSpec.from_lines("gitwildmatch", lines)


def _excluded_by_config(path: Path, resolver: ConfigResolver) -> bool:
    config = resolver.for_path(path)
    if not config.exclude:
        return False
    base = config.source.parent if config.source is not None and config.source.is_file() else Path.cwd()
    try:
        rel = path.resolve().relative_to(base.resolve())
    except ValueError:
        rel = Path(os.path.relpath(path.resolve(), base.resolve()))
    spec = pathspec.PathSpec.from_lines("gitwildmatch", config.exclude)
    posix = rel.as_posix()
    return spec.match_file(posix) or (path.is_dir() and spec.match_file(posix + "/"))


def discover(paths: list[Path], resolver: ConfigResolver) -> Iterator[Path]:
    """Yield the files to check, each once, in a stable order.

    Explicitly named files are yielded even when excluded or of an unknown extension (they are
    read as plain text), because the user asked for them; a missing path is yielded too so that
    the run reports it rather than silently checking nothing.
    """
    seen: set[Path] = set()
    for root in paths:
        if not root.is_dir():
            note_file(root)  # read later, but a missing or special file is decided here
            key = root.absolute()
            if key not in seen:
                seen.add(key)
                yield root
            continue
        for file in _walk(root, resolver, []):
            key = file.absolute()
            if key not in seen:
                seen.add(key)
                yield file


def _walk(
    directory: Path, resolver: ConfigResolver, ignores: list[tuple[Path, pathspec.PathSpec[Any]]]
) -> Iterator[Path]:
    own = _gitignore(directory)
    if own is not None:
        ignores = [*ignores, (directory, own)]
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        note_dir(directory)
        return
    note_dir(directory, [e.name for e in entries])
    for entry in entries:
        path = Path(entry.path)
        is_dir = entry.is_dir(follow_symlinks=False)
        if is_dir and entry.name in ALWAYS_SKIPPED:
            continue
        if _ignored(path, is_dir, ignores) or _excluded_by_config(path, resolver):
            continue
        if is_dir:
            yield from _walk(path, resolver, ignores)
        elif (
            _walked(format_for_path(entry.name))
            and path.suffix
            and path.name.split(".")[0].lower().replace("-", "_") not in NOT_POLICIES
        ):
            yield path


def _walked(fmt: str | None) -> bool:
    if fmt in WALKED_FORMATS:
        return True
    if fmt not in OFFICE_WALKED:
        return False
    from .parsers.office import extra_installed

    return extra_installed(fmt)


def _ignored(path: Path, is_dir: bool, ignores: list[tuple[Path, pathspec.PathSpec[Any]]]) -> bool:
    for base, spec in ignores:
        rel = path.relative_to(base).as_posix()
        if spec.match_file(rel + ("/" if is_dir else "")):
            return True
    return False


_HTML_START = re.compile(
    r"\A(?:\s|<!--.*?-->)*<(?:!doctype\s+html|[a-z][a-z0-9-]*[\s/>])", re.IGNORECASE | re.DOTALL
)
_MARKDOWN_SIGNS = (
    (re.compile(r"^ {0,3}#{1,6}[ \t]+\S", re.MULTILINE), "it has Markdown headings"),
    (re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*$", re.DOTALL | re.MULTILINE), "it has front matter"),
    (re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+\S", re.MULTILINE), "it has Markdown lists"),
    (re.compile(r"(\*\*|__)\S(?:.*?\S)?\1|\[[^\]\n]+\]\([^)\s]+\)"), "it has Markdown emphasis or links"),
)


def sniff_format(text: str) -> tuple[str, str]:
    """The format text read from standard input seems to be in, and why: HTML when it starts
    with a tag or doctype, Markdown when it has headings, lists, emphasis or links, else plain
    text. Without a file name there is no extension to go by, and reading Markdown or HTML as
    plain text would take its markup for words and miss its sections."""
    head = text.lstrip("\ufeff")
    if _HTML_START.match(head):
        return "html", "it starts with an HTML tag"
    for pattern, why in _MARKDOWN_SIGNS:
        if pattern.search(head):
            return "markdown", why
    return "text", "it has no Markdown or HTML markup"
