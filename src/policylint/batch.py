"""Checking batches of documents for a distributed engine (Dask, Ray, Spark, a job queue).

:func:`lint_batch` is the one function a worker calls: it takes a batch of documents and a
configuration, both picklable, and returns one plain dict per document (only strings, numbers,
lists and dicts, so the results pickle, serialise to JSON Lines and fit a Parquet table). It never
raises for a bad document: a file that cannot be read, bytes that are not text or markup that
cannot be parsed become a result with ``error`` set (and the same ``io.*`` finding the CLI
reports), and every other document of the batch is still checked.

Items of a batch can be:

* a path (``str`` or ``os.PathLike``), read by the worker: the worker must see the file;
* a mapping ``{"name": ..., "text": ..., "format": ...}``, where ``text`` is a ``str`` or raw
  ``bytes`` (decoded like a file: byte-order marks, UTF-8, then a detected legacy encoding), and
  ``format`` is optional (``markdown``, ``html`` or ``text``; default: from the name's extension);
  a mapping may give ``"path"`` instead of ``"text"`` (the format then follows the path);
* a tuple ``(name, text)`` or ``(name, text, format)``.

Everything expensive (spaCy, lemma tables, the rule catalog, the rules built for a config) is
built once per worker process and kept in module-level caches, so the first batch a process
checks pays a start-up cost of a few seconds and later batches do not. :func:`warm_up` pays it
ahead of the first batch.

Identical documents are common in a crawl (one privacy notice served under many URLs). With
``dedup=True`` (the default) a worker process remembers the results of the documents it checked,
keyed by a SHA-256 of the content, the format, the document's profile and why (a file name can
name the kind)
and the configuration; a repeat is not checked again but gets a copy of the earlier result under
its own name, with ``duplicate_of`` naming the original. Configurations that depend on paths
(``per_file_ignores``, ``[[profiles]]``) switch this off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import traceback
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict, Union

from .config import Config, config_from_mapping
from .findings import FileReport, Finding, Report, SectionInfo

if TYPE_CHECKING:
    from .engine import CheckedFile

log = logging.getLogger(__name__)

#: One item of a batch: a path the worker reads, a ``{"name", "text" | "path", "format"}``
#: mapping, or a ``(name, text)`` / ``(name, text, format)`` tuple.
BatchItem = Union[str, "os.PathLike[str]", Mapping[str, Any], tuple[Any, ...]]

#: Results a worker process remembers for ``dedup`` (about 20 KB each), least recently used out first.
DEDUP_CACHE_SIZE = 1024

#: The findings that mean a document was not checked at all.
_NOT_CHECKED = frozenset({"io.unreadable", "io.parse-error"})


class DocumentResult(TypedDict):
    """What :func:`lint_batch` returns for one document: plain data, ready for JSON or Parquet."""

    #: The path or record name; also the ``path`` of each finding.
    name: str
    format: str
    #: Detected (or configured) language code; None when the document could not be read.
    language: str | None
    #: Detected (or configured) profile, e.g. ``privacy-notice``.
    profile: str | None
    #: Why that profile: config, title, path, content or default (see FileReport.profile_source).
    profile_source: str | None
    words: int
    #: Encoding assumed for bytes that were not plain UTF-8.
    encoding: str | None
    #: SHA-256 of the document's bytes (a ``str`` text is hashed as UTF-8); None if none were read.
    sha256: str | None
    sections: list[dict[str, Any]]
    #: Each finding as its JSON object (see docs/json-output.md).
    findings: list[dict[str, Any]]
    #: Why the document was not checked (unreadable, not text, unparsable); None when it was.
    error: str | None
    #: The name of an identical document whose result was reused (see ``dedup``).
    duplicate_of: str | None


def lint_batch(
    items: Iterable[BatchItem],
    config: Config | Mapping[str, Any] | str | None = None,
    *,
    format: str | None = None,
    dedup: bool = True,
) -> list[DocumentResult]:
    """Check a batch of documents; one result per item, in order. Never raises for a bad document.

    ``config`` is a :class:`~policylint.Config`, a mapping of config keys (as in
    ``[tool.policylint]``) or a Config's JSON; None means the defaults. It is validated once per
    worker process, and an invalid config raises (that is not a problem of one document). Paths in
    ``rule_paths`` must exist on every worker. Set ``today`` so that every worker measures
    staleness against the same date. ``format`` is the format of items that do not name one
    (default: from each name's extension, else ``text``).
    """
    resolved = _resolve_config(config)
    _validate_once(resolved)
    settings = resolved.fingerprint()
    use_memo = dedup and not resolved.per_file_ignores and not resolved.profiles
    results: list[DocumentResult] = []
    for index, item in enumerate(items):
        name = _name_of(item, index)
        try:
            doc = _normalise(item, name, format)
        except (TypeError, ValueError) as exc:  # a malformed record: reported like an unreadable file
            results.append(error_result(name, str(exc), resolved, _format_of(item, format)))
            continue
        try:
            result = _lint_one(doc, resolved, settings if use_memo else None)
        except Exception as exc:  # one bad document must never fail the batch
            log.debug("checking %s failed", name, exc_info=True)
            result = _failed(name, doc.fmt, exc, resolved)
        results.append(result)
    return results


def report_from_results(results: Iterable[DocumentResult]) -> Report:
    """Rebuild a :class:`~policylint.Report` from batch results, e.g. to render it with a reporter.

    The report equals what :func:`~policylint.check_paths` returns for the same documents.
    """
    report = Report()
    for result in results:
        report.files.append(
            FileReport(
                path=result["name"],
                format=result["format"],
                language=result["language"],
                words=result["words"],
                profile=result["profile"],
                profile_source=result.get("profile_source"),
                encoding=result["encoding"],
                sections=[SectionInfo.model_validate(s) for s in result["sections"]],
            )
        )
        report.findings.extend(Finding.model_validate(f) for f in result["findings"])
    return report.finalize()


def error_result(
    name: str,
    reason: str,
    config: Config | Mapping[str, Any] | str | None = None,
    format: str = "text",
) -> DocumentResult:
    """The result of a document that could not even be loaded (a corrupt manifest line, a failed
    download), shaped like every other: an ``io.unreadable`` finding and ``error`` set, as the CLI
    reports a file it cannot read. ``reason`` completes a sentence that starts with the name."""
    from .engine import CheckedFile, read_error_finding

    finding = read_error_finding(name, reason, _resolve_config(config))
    return _result(CheckedFile(FileReport(path=name, format=format), [finding]), None)


def warm_up(config: Config | Mapping[str, Any] | str | None = None) -> None:
    """Build this process's pipeline ahead of the first batch (spaCy, lemmas, rules): a few seconds.

    Call it once per worker process, e.g. from a Dask ``WorkerPlugin.setup`` or Ray actor's
    constructor; without it the first batch of each process pays the same cost.
    """
    from .engine import catalog_for
    from .nlp import pipeline_for

    resolved = _resolve_config(config)
    _validate_once(resolved)
    pack = catalog_for(resolved).language(
        resolved.language or resolved.default_language, resolved.default_language
    )
    pipeline_for(pack, resolved.nlp_models.get(pack.code))
    # Imports and caches the rest (parsers, rule kinds, readability) on a tiny document.
    lint_batch([("warm-up.md", "# Privacy policy\n\nWe reply within 14 days.\n")], resolved, dedup=False)


# --- inside a worker -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doc:
    name: str
    fmt: str
    text: str | bytes | None  # None: read ``path``
    path: Path | None


_VALIDATED: set[str] = set()
_MEMO: OrderedDict[tuple[str, str, str, str], DocumentResult] = OrderedDict()
_MEMO_LOCK = threading.Lock()  # a Dask worker may run several batches at once in threads


def _resolve_config(config: Config | Mapping[str, Any] | str | None) -> Config:
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    data = json.loads(config) if isinstance(config, str) else dict(config)
    return config_from_mapping(data, "<batch>")  # errors name the key at fault, as for a config file


def _validate_once(config: Config) -> None:
    from .engine import validate_config

    key = config.fingerprint()
    if key not in _VALIDATED:
        validate_config(config)
        _VALIDATED.add(key)


def _name_of(item: BatchItem, index: int) -> str:
    if isinstance(item, (str, os.PathLike)):
        return os.fspath(item)
    if isinstance(item, Mapping):
        name = item.get("name") or item.get("path")
        return str(name) if name else f"<item {index}>"
    if isinstance(item, tuple) and item:
        return str(item[0])
    return f"<item {index}>"


def _format_of(item: BatchItem, default: str | None) -> str:
    from .parsers import format_for_path

    given = item.get("format") if isinstance(item, Mapping) else None
    if given is None and isinstance(item, tuple) and len(item) > 2:
        given = item[2]
    if isinstance(given, str) and given:
        return given
    path = item.get("path") if isinstance(item, Mapping) else None
    name = str(path) if path else _name_of(item, 0)  # a record's file says more than its name (a URL)
    return default or format_for_path(name) or "text"


def _normalise(item: BatchItem, name: str, default_format: str | None) -> _Doc:
    from .parsers import FORMATS

    fmt = _format_of(item, default_format)
    if fmt not in FORMATS:
        raise ValueError(
            f"has an unknown format {fmt!r} (expected one of: {', '.join(FORMATS)}); not checked"
        )
    if isinstance(item, (str, os.PathLike)):
        return _Doc(name, fmt, None, Path(item))
    if isinstance(item, Mapping):  # a missing key and None are the same (a Parquet row has every column)
        text = item.get("text")
        if text is None and item.get("path") is not None:
            return _Doc(name, fmt, None, Path(item["path"]))
        if text is None:
            raise ValueError("is a record with neither 'text' nor 'path'; not checked")
    elif isinstance(item, tuple) and len(item) in (2, 3):
        text = item[1]
    else:
        raise TypeError(
            f"is not a path, a mapping or a (name, text[, format]) tuple but {type(item).__name__}; not checked"
        )
    if not isinstance(text, (str, bytes)):
        raise TypeError(f"has a text that is {type(text).__name__}, not str or bytes; not checked")
    return _Doc(name, fmt, text, None)


def _load(doc: _Doc, max_bytes: int) -> tuple[bytes, str, str]:
    """The document's bytes, text and encoding; :class:`ReadError` when it is not readable text."""
    from .reader import ReadError, decode, read_bytes

    if doc.path is not None:
        raw = read_bytes(doc.path, max_bytes)
    elif isinstance(doc.text, str):
        raw = doc.text.encode("utf-8", errors="surrogatepass")
    else:
        assert doc.text is not None
        raw = doc.text
    if len(raw) > max_bytes:
        raise ReadError(
            f"is {len(raw):,} bytes, above the limit of {max_bytes:,} bytes (`max_file_bytes` in the config)"
        )
    if isinstance(doc.text, str):
        return raw, doc.text, "utf-8"
    source = decode(raw)
    return raw, source.text, source.encoding


def _lint_one(doc: _Doc, config: Config, settings: str | None) -> DocumentResult:
    from .engine import analyse, check_document, check_source, classify
    from .parsers import parse
    from .reader import ReadError

    try:
        raw, text, encoding = _load(doc, config.max_file_bytes)
    except ReadError as exc:
        return error_result(doc.name, str(exc), config, doc.fmt)
    sha = hashlib.sha256(raw).hexdigest()
    try:
        document = parse(text, doc.fmt, doc.name)
    except Exception:  # check_source reports it exactly as the CLI does
        return _result(check_source(text, doc.fmt, doc.name, config, encoding), sha)
    key = None
    if settings is not None:
        # The name matters only through the profile it gives (a file name can name the kind).
        classify(document, config)
        _, ctx = analyse(document, config, classified=True)
        key = (sha, doc.fmt, f"{ctx.profile_name}/{ctx.profile_source}", settings)
    if key is not None:
        with _MEMO_LOCK:
            seen = _MEMO.get(key)
            if seen is not None:
                _MEMO.move_to_end(key)
        if seen is not None:
            return _renamed(seen, doc.name)
    document.encoding = encoding
    result = _result(check_document(document, config, classified=key is not None), sha)
    if key is not None and not any(f["rule"].startswith("internal.") for f in result["findings"]):
        with _MEMO_LOCK:
            _MEMO[key] = result
            if len(_MEMO) > DEDUP_CACHE_SIZE:
                _MEMO.popitem(last=False)
    return result


def _result(checked: CheckedFile, sha: str | None) -> DocumentResult:
    file = checked.file
    error = next((f.message for f in checked.findings if f.rule in _NOT_CHECKED), None)
    return DocumentResult(
        name=file.path,
        format=file.format,
        language=file.language,
        profile=file.profile,
        profile_source=file.profile_source,
        words=file.words,
        encoding=file.encoding,
        sha256=sha,
        sections=[s.model_dump(mode="json") for s in file.sections],
        findings=[f.model_dump(mode="json") for f in checked.findings],
        error=error,
        duplicate_of=None,
    )


def _renamed(original: DocumentResult, name: str) -> DocumentResult:
    """A remembered result under another name (the same name again, as in a retried batch, is no duplicate)."""
    copy = original.copy()
    copy["name"] = name
    copy["sections"] = [dict(s) for s in original["sections"]]
    copy["findings"] = [{**f, "path": name} for f in original["findings"]]
    copy["duplicate_of"] = original["name"] if name != original["name"] else None
    return copy


def _failed(name: str, fmt: str, exc: Exception, config: Config) -> DocumentResult:
    """A document policylint could not check for a reason outside any one rule (a bug)."""
    from .engine import CheckedFile, system_finding

    frames = traceback.extract_tb(exc.__traceback__)
    where = f" ({Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    reason = f"{name} could not be checked: {type(exc).__name__}: {exc}{where}"
    finding = system_finding("internal.rule-error", config, name, reason)
    result = _result(CheckedFile(FileReport(path=name, format=fmt), [finding]), None)
    result["error"] = reason
    return result
