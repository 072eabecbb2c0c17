"""Checking many files: result cache first, then a process pool for what is left.

The cache is consulted in the main process with nothing heavier than hashing, so an unchanged
repository never imports spaCy. Files that miss are checked in worker processes (one spaCy
pipeline per worker, built once); a worker that dies takes only its own file down, which is
reported as ``internal.worker-crash`` while every other file keeps its findings.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from pydantic import BaseModel

from . import heap, nlp
from .cache import ResultCache, packs_digest
from .config import Config
from .document import Document
from .engine import CheckedFile
from .findings import FileReport, Finding
from .loading import Task as Task  # re-exported: a task is what loading.py reads
from .loading import check_file
from .loading import make_task as make_task
from .prepare import Prepared, helper
from .reader import ReadError, read_bytes
from .timings import TIMINGS

#: Below this many files to check, starting worker processes costs more than it saves.
MIN_FILES_FOR_POOL = 4
#: Nor does it pay below about this many bytes of policies, unless --jobs asks for workers: the
#: parent's warm-up and each worker's own spaCy tokenizer cache cost about a second in all, which
#: on 62k words (0.4 MB, 34 files) is roughly what two workers save (two bench runs: 0.3 s slower
#: and 1.4 s faster than one process). A pre-commit run on a few files stays in one process.
MIN_BYTES_FOR_POOL = 256_000

#: How many processes the last run_tasks call checked files in (for --timings).
_workers_used = 1


def workers_used() -> int:
    """How many processes the last :func:`run_tasks` call checked files in."""
    return _workers_used


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def _settings(config: Config) -> str:
    today = (config.today or dt.date.today()).isoformat()
    return f"{config.fingerprint()}|{packs_digest(tuple(str(p) for p in config.rule_paths))}|{today}"


class _CachedResult(BaseModel):
    """One file's cache entry. pydantic-core reads and validates it straight from the entry's
    bytes, and writes it the same way: json.loads and one model_validate per finding took twice
    as long (0.18 s for the 340 files of the 622k-word benchmark, all but one from the cache)."""

    file: FileReport
    findings: list[Finding]


def _to_json(checked: CheckedFile) -> bytes:
    entry = _CachedResult(file=checked.file, findings=checked.findings)
    try:
        return entry.model_dump_json().encode()
    except ValueError:  # a lone surrogate (a file name that is not UTF-8): JSON escapes it
        return json.dumps(entry.model_dump(mode="json"), separators=(",", ":")).encode()


def _from_json(data: bytes) -> CheckedFile | None:
    try:
        entry = _CachedResult.model_validate_json(data)
    except Exception:  # ValidationError above all; whatever a damaged entry causes, never a crash
        try:  # an escaped lone surrogate, which pydantic-core's JSON parser refuses
            entry = _CachedResult.model_validate(json.loads(data))
        except Exception:
            return None  # a corrupt or outdated entry is a miss
    return CheckedFile(entry.file, entry.findings)


#: What a helper prepared (see prepare.py), by task index: set before the workers fork (so each
#: inherits it) or before this process checks the files itself; cleared when they are checked.
_prepared = Prepared()


def _check_task(task: Task, prepared: int | None = None) -> tuple[CheckedFile, dict[str, float]]:
    """Check one file; also return the seconds it added to this process's timings (a worker
    sends them back to the parent with the result). ``prepared``: the task's index in
    ``_prepared``, where a document the helper read, parsed and classified may be waiting."""
    from .engine import check_document

    before = dict(TIMINGS.seconds)
    if prepared is not None and isinstance(document := _prepared.loaded.get(prepared), Document):
        checked = check_document(document, task.config, classified=True, ahead=_prepared.ahead.get(prepared))
    else:
        checked = check_file(task.path, task.config, task.fmt, task.display)
    return checked, TIMINGS.since(before)


def _crash_result(task: Task) -> CheckedFile:
    from .engine import system_finding

    finding = system_finding(
        "internal.worker-crash",
        task.config,
        task.display,
        f"{task.display}: the worker process checking this file crashed; other files were still checked",
    )
    return CheckedFile(FileReport(path=task.display, format=task.fmt), [finding])


def _warm_up(tasks: Sequence[Task], thorough: bool = False) -> None:
    """Build everything a check needs before forking, so workers share it copy-on-write instead
    of each paying for it again: spaCy's import, the default language's pipeline and lemma
    table, and every rule's matchers and patterns (by checking a small document made of the
    rules' own examples). Then freeze the heap, so the workers' garbage collector does not
    touch (and so copy) every inherited object.

    The document holds one bad example per rule kind: every rule runs on any document (which
    builds its matchers), and one example of a kind reaches the code paths that need certain
    content (addresses, dates). Every rule's good and bad example, as before, was 24 KB of
    checking before any file could start (0.08-0.1 CPU s), for about 0.03 s of set-up that each
    worker now does itself, in parallel (measured 2026-12-03). ``thorough`` (the warm server,
    which warms up once for all its requests) checks every rule's examples."""
    from .engine import catalog_for, check_source
    from .readability import hyphenation_code, syllable_counter

    config = tasks[0].config
    catalog = catalog_for(config)
    pack = catalog.language(config.language or config.default_language, config.default_language)
    syllable_counter(hyphenation_code(pack.code, pack.readability.hyphenation))  # patterns + their index
    if thorough:
        examples = {spec.id: f"{spec.example.bad}\n\n{spec.example.good}" for spec in catalog.rules.values()}
    else:
        examples = {}
        for spec in catalog.rules.values():
            examples.setdefault(spec.kind, spec.example.bad)
    sample = "\n\n".join(f"## {name}\n\n{text}" for name, text in examples.items())
    with contextlib.suppress(Exception):  # a warm-up that fails only costs the workers time
        check_source(f"# Warm-up\n\n{sample}\n", "markdown", "<warm-up>", config)
    heap.freeze()


def _size(task: Task) -> int:
    try:
        return task.path.stat().st_size
    except OSError:
        return 0


def _pool(jobs: int) -> ProcessPoolExecutor:
    method = "fork" if sys.platform.startswith("linux") else None
    context = multiprocessing.get_context(method)
    return ProcessPoolExecutor(max_workers=jobs, mp_context=context)


def _run_parallel(tasks: Sequence[Task], jobs: int, done: Callable[[Task, CheckedFile], None]) -> None:
    pending = list(tasks)
    ready = Prepared()
    forking = _forking()
    if forking:

        def warm_up() -> None:
            before, started = dict(TIMINGS.seconds), time.perf_counter()
            _warm_up(pending)
            TIMINGS.seconds = before  # the sample document's parse and rules are warm-up, not work
            TIMINGS.add({"warm-up": time.perf_counter() - started})

        ready = _alongside(warm_up, pending)
    try:
        _run_pool(pending, jobs, done, ready)
    finally:
        if forking and not nlp.FREEZE_HEAP:
            gc.unfreeze()  # a library caller's later garbage is collectable again


def _run_serial(pending: list[Task], done: Callable[[Task, CheckedFile], None], *, helped: bool) -> None:
    """Check ``pending`` in this process. ``helped``: while this process imports spaCy, a helper
    may prepare the files on another core (what a one-file pre-commit run spends most on besides
    spaCy: parsing, classifying, the rules that need no spaCy, and their first-use set-up). The
    import then happens before anything says a file needs spaCy: a run whose files are all
    unreadable or in a language without a pack pays for it in vain (0.3 s), every other run
    needed it anyway."""
    # Nothing to check (every file came from the cache) must not import spaCy.
    ready = _alongside(_import_spacy, pending) if helped and pending else Prepared()
    with _adopted(ready, pending, done) as unfinished:
        for index, task in unfinished:
            done(task, _check_task(task, index)[0])  # this process's TIMINGS already has its seconds


@contextlib.contextmanager
def _adopted(
    ready: Prepared, pending: list[Task], done: Callable[[Task, CheckedFile], None]
) -> Iterator[list[tuple[int, Task]]]:
    """Take over what a helper prepared: count its seconds, finish the files it found unreadable
    or unparsable, publish its documents in ``_prepared`` for :func:`_check_task` (workers forked
    inside the context inherit them) until the context ends; yields the tasks left to check,
    with their indexes."""
    TIMINGS.add(ready.seconds)
    for index, result in ready.loaded.items():
        if isinstance(result, CheckedFile):
            done(pending[index], result)
    _prepared.loaded, _prepared.ahead = ready.loaded, ready.ahead
    try:
        yield [
            (i, task) for i, task in enumerate(pending) if not isinstance(ready.loaded.get(i), CheckedFile)
        ]
    finally:
        _prepared.loaded, _prepared.ahead = {}, {}


def _import_spacy() -> None:
    from .spacy_import import import_spacy

    with TIMINGS.timed("nlp"):
        import_spacy()


def _forking() -> bool:
    return multiprocessing.get_start_method(allow_none=True) in (None, "fork") and sys.platform.startswith(
        "linux"
    )


def _alongside(start_up: Callable[[], None], pending: list[Task]) -> Prepared:
    """Run ``start_up`` (this process's spaCy import, and the rest of its warm-up) while a helper
    prepares ``pending`` on another core (prepare.py), if that pays; what the helper finished."""
    if not _helper_pays():
        start_up()
        return Prepared()
    with helper(pending) as collect:
        start_up()
        return collect()


def _helper_pays() -> bool:
    """Whether to fork a helper (prepare.py): only a start-up that imports spaCy lasts long
    enough to be worth it (in a library caller's second run, or the server, spaCy is imported
    already), only a second core lets the helper work while this process does, and only Linux
    forks without surprises."""
    return "spacy" not in sys.modules and default_jobs() > 1 and _forking()


def _run_pool(
    pending: list[Task], jobs: int, done: Callable[[Task, CheckedFile], None], ready: Prepared
) -> None:
    """Check ``pending`` in ``jobs`` worker processes; ``ready``: what a helper prepared, by
    index in ``pending``."""
    with _adopted(ready, pending, done) as unfinished, _pool(jobs) as pool:
        futures: dict[Future[tuple[CheckedFile, dict[str, float]]], Task] = {
            pool.submit(_check_task, task, index): task for index, task in unfinished
        }
        broken: list[Task] = []
        for future, task in futures.items():
            try:
                checked, spent = future.result()
            except BrokenProcessPool:
                broken.append(task)
                continue
            TIMINGS.add(spent)
            done(task, checked)
    # A dead worker breaks the whole pool: re-check the unfinished files one per fresh process,
    # so only the file that really kills a process is reported as crashed.
    for task in broken:
        with _pool(1) as single:
            try:
                checked, spent = single.submit(_check_task, task).result()
            except BrokenProcessPool:
                done(task, _crash_result(task))
                continue
            TIMINGS.add(spent)
            done(task, checked)


def _cached(cache: ResultCache, index: int, task: Task, keys: dict[int, str]) -> CheckedFile | None:
    """The cached result of a task, if any; records its cache key in ``keys`` either way."""
    try:
        data = read_bytes(task.path, task.config.max_file_bytes)
    except ReadError:
        return None  # not cached: check_file reports why it cannot be read
    key = cache.key(data, fmt=task.fmt, display=task.display, settings=_settings(task.config))
    keys[index] = key
    return cache.load(key, _from_json)


def run_tasks(
    tasks: Sequence[Task],
    *,
    jobs: int | None = None,
    cache: ResultCache | None = None,
    progress: Callable[[], None] | None = None,
) -> list[CheckedFile]:
    """Check every task, from the cache where possible; results come back in task order."""
    results: dict[int, CheckedFile] = {}
    keys: dict[int, str] = {}
    misses: list[tuple[int, Task]] = []
    for index, task in enumerate(tasks):
        if cache is not None:
            with TIMINGS.timed("cache"):
                hit = _cached(cache, index, task, keys)
            if hit is not None:
                results[index] = hit
                if progress is not None:
                    progress()
                continue
        misses.append((index, task))

    index_of = {id(task): index for index, task in misses}

    def done(task: Task, checked: CheckedFile) -> None:
        index = index_of[id(task)]
        results[index] = checked
        key = keys.get(index)
        if (
            cache is not None
            and key is not None
            # Nor a file that could not be read: why may lie outside its bytes (the office
            # extra not installed yet), and the next run must try again.
            and not any(f.rule.startswith("internal.") or f.rule == "io.unreadable" for f in checked.findings)
        ):
            cache.put(key, _to_json(checked))
        if progress is not None:
            progress()

    global _workers_used
    pending = [t for _, t in misses]
    sizes = {id(t): _size(t) for t in pending}
    workers = min(jobs if jobs is not None else default_jobs(), len(pending))
    if jobs is None and sum(sizes.values()) < MIN_BYTES_FOR_POOL:
        workers = 1
    _workers_used = workers if workers > 1 and len(pending) >= MIN_FILES_FOR_POOL else 1
    if _workers_used > 1:
        # Largest files first: a big file started last would leave the other workers idle at the end.
        _run_parallel(sorted(pending, key=lambda t: sizes[id(t)], reverse=True), workers, done)
    else:
        # An explicit --jobs 1 (and the library default) means one process: no helper either.
        _run_serial(pending, done, helped=jobs is None)
    return [results[i] for i in range(len(tasks))]
