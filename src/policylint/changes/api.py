"""Comparing versions: two texts, two files, or each changed policy file against a Git revision.

A version that cannot be read (missing, binary, a revision Git does not have) becomes a file entry
with status ``error``, an ``io.unreadable`` finding naming it, and the other files are still
compared; only a ``--base`` revision that does not exist at all stops the run (:class:`DiffError`).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Config, ConfigResolver, as_config
from ..document import Document
from ..engine import CheckedFile, parse_source, read_error_finding
from ..errors import PolicylintError
from ..parsers import FORMATS, format_for_path
from ..reader import ReadError, decode, display_path, read_file
from .compare import compare
from .extract import read_facts
from .model import ChangeReport, FileDiff, FileStatus
from .process import change_findings, latest, lint_config, new_lint_findings, process_findings


class DiffError(PolicylintError):
    """The comparison cannot start at all (a --base revision that does not exist, no Git)."""


@dataclass(frozen=True, slots=True)
class Version:
    """One version's text, or why it could not be read."""

    path: str
    text: str | None
    error: str | None = None
    fmt: str | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """How versions are compared: the day changes are judged on and which lint rules run."""

    changed_on: dt.date | None = None
    lint: str = "text"


def _parse(version: Version, config: Config, shown: str) -> Document | str:
    assert version.text is not None
    fmt = version.fmt or format_for_path(version.path) or "text"
    parsed = parse_source(version.text, fmt, shown, config)
    if isinstance(parsed, CheckedFile):
        return parsed.findings[0].message if parsed.findings else f"{shown} could not be parsed"
    return parsed


def diff_versions(
    old: Version | None, new: Version | None, config: Config, options: Options, *, renamed: bool = False
) -> FileDiff:
    """Compare two versions of one file (``None``: the file was added or deleted; ``renamed``:
    Git followed a rename from the old path to the new one)."""
    if new is None:
        assert old is not None
        return _deleted(old, config)
    if old is None:
        return FileDiff(new_path=new.path, status="added")
    status: FileStatus = "renamed" if renamed else "modified"
    for version in (old, new):
        if version.error is not None or version.text is None:
            reason = version.error or "could not be read"
            return FileDiff(
                old_path=old.path,
                new_path=new.path,
                status="error",
                error=f"{version.path} {reason}",
                findings=[read_error_finding(version.path, reason, config)],
            )
    old_doc, new_doc = _parse(old, config, old.path), _parse(new, config, new.path)
    for doc in (old_doc, new_doc):
        if isinstance(doc, str):
            return FileDiff(old_path=old.path, new_path=new.path, status="error", error=doc)
    assert isinstance(old_doc, Document) and isinstance(new_doc, Document)
    return _compare_documents(old_doc, new_doc, status, config, options)


def _compare_documents(
    old_doc: Document, new_doc: Document, status: FileStatus, config: Config, options: Options
) -> FileDiff:
    old_facts, new_facts = read_facts(old_doc, config), read_facts(new_doc, config)
    changes, cosmetic = compare(old_facts, new_facts)
    before, after = latest(old_facts.effective), latest(new_facts.effective)
    reference = options.changed_on or config.today or dt.date.today()
    findings = change_findings(changes, new_doc, config)
    findings += process_findings(old_facts, new_facts, changes, config, reference)
    findings += new_lint_findings(old_doc, new_doc, lint_config(config, options.lint))
    if status == "modified" and old_doc.source == new_doc.source:
        status = "unchanged"
    return FileDiff(
        old_path=old_doc.path,
        new_path=new_doc.path,
        status=status,
        language=new_doc.language,
        profile=new_facts.profile,
        old_effective=before.date if before is not None else None,
        new_effective=after.date if after is not None else None,
        cosmetic=cosmetic,
        changes=changes,
        findings=findings,
    )


def _deleted(old: Version, config: Config) -> FileDiff:
    from .process import _finding

    finding = _finding("change.file-removed", config, None, old.path, {"path": old.path})
    return FileDiff(old_path=old.path, status="deleted", findings=[finding] if finding is not None else [])


def diff_texts(
    old: str,
    new: str,
    format: str = "markdown",
    config: Config | dict[str, Any] | None = None,
    *,
    old_path: str = "<old>",
    new_path: str = "<new>",
    changed_on: dt.date | None = None,
    lint: str = "text",
) -> ChangeReport:
    """Compare two versions of a policy held in memory (``format``: markdown, html or text)."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; expected one of: {', '.join(FORMATS)}")
    resolved = as_config(config)
    item = diff_versions(
        Version(old_path, old, fmt=format),
        Version(new_path, new, fmt=format),
        resolved,
        Options(changed_on, lint),
    )
    return ChangeReport(files=[item]).finalize()


def read_version(path: Path, config: Config) -> Version:
    shown = display_path(path)
    try:
        source = read_file(path, config.max_file_bytes)
    except ReadError as exc:
        return Version(shown, None, str(exc))
    return Version(shown, source.text)


def diff_paths(
    old: str | Path,
    new: str | Path,
    config: Config | dict[str, Any] | None = None,
    *,
    config_path: str | Path | None = None,
    changed_on: dt.date | None = None,
    lint: str = "text",
) -> ChangeReport:
    """Compare two files. Without ``config``, the nearest config file of ``new`` applies."""
    resolved = _resolve(Path(new), config, config_path)
    item = diff_versions(
        read_version(Path(old), resolved),
        read_version(Path(new), resolved),
        resolved,
        Options(changed_on, lint),
    )
    return ChangeReport(files=[item]).finalize()


def _resolve(path: Path, config: Config | dict[str, Any] | None, config_path: str | Path | None) -> Config:
    if config is not None:
        return as_config(config)
    resolver = ConfigResolver(Path(config_path) if config_path else None)
    return resolver.for_path(path)


# ------------------------------------------------------------------------------------------
# Git
# ------------------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as exc:
        raise DiffError(f"cannot run git: {exc}") from None


def changed_files(base: str, paths: list[str], cwd: Path) -> list[tuple[str, str | None, str | None]]:
    """(status letter, old path, new path) of each policy file changed between ``base`` and the
    working tree, renames followed; paths are relative to the repository root."""
    check = _git(["rev-parse", "--verify", "--quiet", f"{base}^{{commit}}"], cwd)
    if check.returncode != 0:
        raise DiffError(f"revision {base!r} does not exist in the Git repository at {cwd}")
    listing = _git(["diff", "--name-status", "-M", "-z", base, "--", *paths], cwd)
    if listing.returncode != 0:
        raise DiffError(
            f"git diff against {base!r} failed: {listing.stderr.decode(errors='replace').strip()}"
        )
    fields = listing.stdout.decode("utf-8", errors="surrogateescape").split("\0")
    found: list[tuple[str, str | None, str | None]] = []
    i = 0
    while i < len(fields) and fields[i]:
        letter = fields[i][0]
        if letter in "RC":
            old, new = fields[i + 1], fields[i + 2]
            i += 3
        else:
            old = new = fields[i + 1]
            i += 2
        if format_for_path(new) is None and format_for_path(old) is None:
            continue
        found.append((letter, None if letter == "A" else old, None if letter == "D" else new))
    return found


def _root(cwd: Path) -> Path:
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise DiffError(f"{cwd} is not in a Git repository: {top.stderr.decode(errors='replace').strip()}")
    return Path(top.stdout.decode().strip())


def git_version(base: str, path: str, root: Path, config: Config) -> Version:
    """``path`` as it was at revision ``base``."""
    shown = f"{base}:{path}"
    shown_path = path
    result = _git(["show", f"{base}:{path}"], root)
    if result.returncode != 0:
        return Version(
            shown_path,
            None,
            f"at {shown} could not be read: {result.stderr.decode(errors='replace').strip()}",
        )
    if len(result.stdout) > config.max_file_bytes:
        return Version(shown_path, None, f"at {shown} is larger than max_file_bytes; not compared")
    try:
        source = decode(result.stdout)
    except ReadError as exc:
        return Version(shown_path, None, f"at {shown} {exc}")
    return Version(shown_path, source.text)


def diff_git(
    base: str,
    paths: list[str] | None = None,
    config: Config | dict[str, Any] | None = None,
    *,
    cwd: str | Path = ".",
    config_path: str | Path | None = None,
    changed_on: dt.date | None = None,
    lint: str = "text",
) -> ChangeReport:
    """Compare each policy file changed since ``base`` (a Git revision) with its version there."""
    where = Path(cwd).resolve()
    root = _root(where)
    selected = [str((where / p).resolve().relative_to(root)) for p in paths or []]
    report = ChangeReport(base=base)
    options = Options(changed_on, lint)
    for letter, old_path, new_path in changed_files(base, selected, root):
        target = root / (new_path or old_path or "")
        resolved = _resolve(target, config, config_path)
        old = git_version(base, old_path, root, resolved) if old_path else None
        new = read_version(root / new_path, resolved) if new_path else None
        if new is not None:
            new = Version(new_path or new.path, new.text, new.error)
        report.files.append(diff_versions(old, new, resolved, options, renamed=letter == "R"))
    return report.finalize()
