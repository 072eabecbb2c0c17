"""Prepare files in a helper process while this one imports spaCy.

A cold run spends about half a second on start-up no file can use yet: importing spaCy, and in a
parallel run building the pipeline and the warm-up check (``runner._warm_up``) before the
workers fork. On a multi-core machine the other cores sit idle meanwhile. Much of checking a
file needs no spaCy: reading and parsing it into sections, settling its language and section
kinds (``loading.load_file``, ``engine.classify``), and the rules whose kind reads only text and
sections (``RuleKind.uses_nlp`` false: readability, required sections, contact channels, dates,
consistency; ``engine.text_rule_findings``), with their first-use set-up. A helper forked before
spaCy's import does that in the idle stretch: first reading, parsing and classifying every file
in the order they will be checked, then the spaCy-free rules, file by file. What it finished is
then used instead of being done again: by the workers, which fork after it and inherit it, or by
this process itself in a one-process run (a pre-commit run on a few files).

Results travel through an anonymous temporary file, one length-prefixed pickle per step, so the
helper never blocks on a full pipe while the parent is busy. When its start-up ends the parent
kills the helper wherever it is and reads the complete records; a step it was in the middle
of, or never reached, or could not pickle, is done later as if there were no helper. A
file checked from what the helper prepared gets exactly the findings ``loading.check_file`` gives
(tests/test_prepare.py). The helper refuses spaCy (``checks.base.refuse_nlp``): a kind wrongly
marked as needing none leaves that document's rules to be run later instead of importing spaCy.

Measured (docs/benchmarks.md, 2 cores): on the 62k-word benchmark (34 files) the helper prepares
every file and runs the spaCy-free rules of a few of them before the warm-up ends; for one small
file it is done long before spaCy's import is.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from multiprocessing.process import BaseProcess
from typing import IO, TypeVar

from .checks.base import refuse_nlp
from .document import Document
from .engine import CheckedFile, classify, text_rule_findings
from .findings import Finding
from .loading import Task, load_file
from .timings import TIMINGS

T = TypeVar("T")
log = logging.getLogger(__name__)

_HEADER = struct.Struct("<BIQ")  # record kind, task index, payload length
_LOADED, _AHEAD = 1, 2
#: The helper stops after writing this much: the parent holds what it reads (about three times
#: as much once unpickled) until the run ends, and a run's memory must not grow with its files.
#: In the half second a warm-up lasts here, a helper writes 1-2 MB (1.2 MB for all 34 files of
#: the 62k-word set); only a much slower warm-up or very large files get near this.
MAX_BYTES = 16 * 2**20


@dataclass
class Prepared:
    """What a helper got done, by index of the task."""

    #: Read, parsed and classified Documents, or the finished results of files that cannot be
    #: read or parsed.
    loaded: dict[int, Document | CheckedFile] = field(default_factory=dict)
    #: Findings of the rules that need no spaCy (``engine.text_rule_findings``), by rule run.
    ahead: dict[int, dict[int, list[Finding]]] = field(default_factory=dict)
    #: The helper's seconds, by timings label, for --timings.
    seconds: dict[str, float] = field(default_factory=dict)


def load(task: Task) -> Document | CheckedFile:
    """What checking ``task`` does before it needs spaCy: read, parse, classify."""
    loaded = load_file(task.path, task.config, task.fmt, task.display)
    if isinstance(loaded, Document):
        with TIMINGS.timed("classify"):
            classify(loaded, task.config)
    return loaded


@contextlib.contextmanager
def helper(tasks: Sequence[Task]) -> Iterator[Callable[[], Prepared]]:
    """Fork a process that prepares ``tasks``; the context yields ``collect``, which stops it
    and returns what it prepared. Leaving the context stops it too. Where no process can be
    started (a daemonic parent, no temporary file), ``collect`` returns nothing prepared."""
    count = len(tasks)
    with contextlib.ExitStack() as stack:
        try:
            out = stack.enter_context(tempfile.TemporaryFile())
            process = multiprocessing.get_context("fork").Process(
                target=_work, args=(list(tasks), out.fileno()), daemon=True
            )
            process.start()
        except Exception:
            log.debug("no helper process; every file is prepared as usual", exc_info=True)
            yield Prepared
            return
        stack.callback(_stop, process)

        def collect() -> Prepared:
            _stop(process)
            out.seek(0)
            return _records(out.read(), count)

        yield collect


def _stop(process: BaseProcess) -> None:
    if process.exitcode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()  # a file it is in the middle of is done later, as usual
        process.join()


def _records(data: bytes, count: int) -> Prepared:
    """The complete records in ``data``; a record cut short by the kill ends the list."""
    prepared = Prepared()
    offset = 0
    while offset + _HEADER.size <= len(data):
        kind, index, length = _HEADER.unpack_from(data, offset)
        start = offset + _HEADER.size
        if start + length > len(data) or not 0 <= index < count:
            break
        offset = start + length
        try:
            value, spent = pickle.loads(data[start:offset])
        except Exception:  # never expected; the file is then simply checked from scratch
            continue
        if kind == _LOADED:
            prepared.loaded[index] = value
        elif kind == _AHEAD and isinstance(prepared.loaded.get(index), Document):
            prepared.ahead[index] = value
        else:
            continue
        for label, seconds in spent.items():
            prepared.seconds[label] = prepared.seconds.get(label, 0.0) + seconds
    return prepared


def _work(tasks: list[Task], fd: int) -> None:
    """The helper: read, parse and classify every task, then run the rules that need no spaCy on
    each document, appending a record to the shared file after each step of each file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops the helper
    refuse_nlp()  # a rule wrongly marked as needing no spaCy is run later, as usual
    with contextlib.suppress(OSError), os.fdopen(os.dup(fd), "wb", buffering=0) as out:
        records = _Writer(out)
        documents: dict[int, Document] = {}
        for index, task in enumerate(tasks):
            loaded = records.add(_LOADED, index, partial(load, task))
            if isinstance(loaded, Document):
                documents[index] = loaded
        for index, document in documents.items():
            records.add(_AHEAD, index, partial(text_rule_findings, document, tasks[index].config))


class _Writer:
    """Appends the helper's records to the shared file."""

    def __init__(self, out: IO[bytes]) -> None:
        self._out = out
        self._written = 0

    def add(self, kind: int, index: int, make: Callable[[], T]) -> T | None:
        """Compute a record's value and append it with the seconds that took; the value, or
        None when it could not be made or pickled (the worker then does that work itself)."""
        if self._written >= MAX_BYTES:
            return None
        before = dict(TIMINGS.seconds)
        try:
            value = make()
            payload = pickle.dumps((value, TIMINGS.since(before)), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # RecursionError pickling a deep tree, say: the worker checks the file
            return None  # from scratch and reports it as it always has
        _write_all(self._out, _HEADER.pack(kind, index, len(payload)) + payload)  # a full disk ends it
        self._written += len(payload)
        return value


def _write_all(out: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        count = out.write(view)
        if not count:
            raise OSError("could not write the helper's results")
        view = view[count:]
