"""Replaying an unchanged run: the warm path, which imports neither pydantic nor spaCy.

A pre-commit hook or an editor runs ``policylint check`` over and over on a repository that has
not changed. The per-file result cache already skips the checking, but building the config,
loading the rule packs and rendering the report still cost most of a second. So a whole run is
remembered as well: what it printed and its exit code, with a record of everything it read.

The record is found by a key over what the command line cannot show in the files: the
arguments, the working folder, the environment variables that change output (colour, terminal
width, CI), whether the output is a terminal, today's date and policylint's own code. It is used
only if every input is still the same:

* every file the run read (policies, config files, ``.gitignore`` files, rule packs, the
  baseline) has the same bytes (hashed, not compared by modification time, which can miss an
  edit made in the same clock tick);
* every folder the run walked for policies has the same entries, so a new policy is noticed;
* every config file name looked for (and ``.git``, where the search stops) still exists or
  still does not;
* the installed packages are the same (the listing of each folder on ``sys.path``, where
  plugins are found).

Anything else falls back to the normal run (which still uses the per-file cache). A run that
reported internal errors is never recorded, nor is one that reads stdin or writes a baseline.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ._version import __version__
from .atomic import write_bytes_atomically, write_text_atomically

#: Environment variables that change what a run prints (rich's colour and width settings, CI
#: detection, the cache folder) or what it reads; everything else in the environment is ignored.
_ENV_NAMES = (
    "CI",
    "COLORTERM",
    "COLUMNS",
    "FORCE_COLOR",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "LANG",
    "LC_ALL",
    "LC_CTYPE",
    "LINES",
    "NO_COLOR",
    "PYTHONIOENCODING",
    "PYTHONUTF8",
    "TERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)
_ENV_PREFIXES = ("POLICYLINT_", "GITHUB_", "GITLAB_")
_PACKAGE = Path(__file__).resolve().parent


class Recorder:
    """Digests of the files and folder listings a run read, taken when it read them (a file
    edited while the run goes on must not be recorded with its new bytes and the old results).

    Plain classes here, not dataclasses: this module is on the replay path, where importing
    ``dataclasses`` (and with it ``inspect``) cost 13 ms."""

    __slots__ = ("dirs", "files", "outputs", "probes")

    def __init__(self, outputs: frozenset[str] = frozenset()) -> None:
        self.files: dict[str, str] = {}
        self.dirs: dict[str, str] = {}
        self.probes: dict[str, str] = {}
        #: Paths left out of folder listings: the run's own cache and output file, which the run
        #: itself creates (in the folder where config files are looked for, typically).
        self.outputs = outputs


#: The recorder of the current run; None when nothing is being recorded (the library's default).
RECORDER: Recorder | None = None


def note_file(path: str | os.PathLike[str], data: bytes | None = None) -> None:
    """Remember that the run read ``path`` (its bytes, when the caller has them, save reading it
    again). A no-op unless a run is being recorded."""
    if RECORDER is not None:
        key = os.path.abspath(path)
        if key not in RECORDER.files:
            RECORDER.files[key] = _bytes_digest(data) if data is not None else _file_digest(key)


def note_dir(path: str | os.PathLike[str], names: Sequence[str] | None = None) -> None:
    """Remember that the run looked at which entries folder ``path`` has."""
    if RECORDER is not None:
        key = os.path.abspath(path)
        if key not in RECORDER.dirs:
            listed = names if names is not None else _listing(key)
            RECORDER.dirs[key] = (
                _names_digest(key, listed, RECORDER.outputs) if listed is not None else "!unreadable"
            )


def note_probe(path: str | os.PathLike[str]) -> None:
    """Remember whether ``path`` exists and what it is (a config file name looked for in a
    parent folder: only its existence matters, not the rest of the folder, which in ``/tmp`` or a
    home folder changes all the time)."""
    if RECORDER is not None:
        key = os.path.abspath(path)
        if key not in RECORDER.probes:
            RECORDER.probes[key] = _kind(key)


def _kind(path: str) -> str:
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        return f"!{type(exc).__name__}"
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def _bytes_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


#: Files above this size are compared by size and modification time instead of their bytes.
_HASH_LIMIT = 64 * 1024 * 1024


def _file_digest(path: str) -> str:
    """The bytes' hash of a regular file; for anything else, what it is (never opened: a FIFO
    would block)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return f"!mode {stat.S_IFMT(info.st_mode)}"
        if info.st_size > _HASH_LIMIT:
            return f"!large {info.st_size} {info.st_mtime_ns}"
        with open(path, "rb") as handle:
            return _bytes_digest(handle.read())
    except OSError as exc:
        return f"!{type(exc).__name__}"


def _listing(path: str) -> list[str] | None:
    try:
        return os.listdir(path)
    except OSError:
        return None


def _names_digest(folder: str, names: Sequence[str], outputs: frozenset[str]) -> str:
    kept = sorted(n for n in names if os.path.join(folder, n) not in outputs)
    return _bytes_digest("\0".join(kept).encode("utf-8", "surrogateescape"))


def _dir_digest(path: str, outputs: frozenset[str] = frozenset()) -> str:
    names = _listing(path)
    return _names_digest(path, names, outputs) if names is not None else "!unreadable"


def _code_stamp() -> str:
    """policylint's own code: its version, and the size and time of each module (an editable
    install changes code without changing the version)."""
    parts = [__version__]
    for root, _dirs, files in os.walk(_PACKAGE):
        for name in sorted(files):
            if name.endswith(".py"):
                with contextlib.suppress(OSError):
                    stat = os.stat(os.path.join(root, name))
                    parts.append(f"{name}:{stat.st_size}:{stat.st_mtime_ns}")
    return "|".join(sorted(parts))


def _import_dirs() -> list[str]:
    """The folders Python imports from (plugins are found there by their entry points)."""
    return sorted({os.path.abspath(p) for p in sys.path if p and os.path.isdir(p)})


def run_key(argv: Sequence[str]) -> str:
    """Which recorded run could answer this command (its inputs are then checked one by one)."""
    env = {k: v for k, v in os.environ.items() if k in _ENV_NAMES or k.startswith(_ENV_PREFIXES)}
    terminal = [sys.stdout.isatty(), sys.stderr.isatty()]
    if terminal[0]:
        with contextlib.suppress(OSError):
            terminal.append(tuple(os.get_terminal_size(sys.stdout.fileno())))
    material = json.dumps(
        {
            "argv": list(argv),
            "cwd": os.getcwd(),
            "env": sorted(env.items()),
            "terminal": repr(terminal),
            "today": dt.date.today().isoformat(),
            "code": _code_stamp(),
            "python": sys.version,
            "executable": sys.executable,
            "path": sys.path,
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()


class Outcome(NamedTuple):
    """What a run showed: its standard output (or output file) text, messages, exit code."""

    stdout: str
    stderr: str
    code: int


class RunStore:
    """Recorded runs, one JSON file per key under the result cache's version folder."""

    def __init__(self, cache_root: Path, key: str) -> None:
        self.cache_root = cache_root
        self.path = cache_root / f"v{__version__}" / "runs" / f"{key}.json"

    def replay(self) -> Outcome | None:
        """The recorded outcome if every input is unchanged, else None."""
        try:
            record: dict[str, Any] = json.loads(self.path.read_bytes())
            inputs = record["inputs"]
            files: dict[str, str] = inputs["files"]
            dirs: dict[str, str] = inputs["dirs"]
            outputs = frozenset(str(p) for p in inputs.get("outputs", []))
            probes: dict[str, str] = inputs.get("probes", {})
            stdout_file, stdout_size = str(record["stdout_file"]), int(record["stdout_bytes"])
            stderr, code = str(record["stderr"]), int(record["code"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if os.path.basename(stdout_file) != stdout_file or not stdout_file.startswith(self.path.stem):
            return None
        for path, kind in probes.items():
            if _kind(path) != kind:
                return None
        for path, digest in dirs.items():
            if _dir_digest(path, outputs) != digest:
                return None
        for path, digest in files.items():
            if _file_digest(path) != digest:
                return None
        stdout_path = self.path.with_name(stdout_file)
        try:
            data = stdout_path.read_bytes()
            if len(data) != stdout_size:
                return None
            stdout = data.decode("utf-8", "surrogatepass")
        except OSError:
            return None
        for used in (self.path, stdout_path):
            with contextlib.suppress(OSError):
                os.utime(used)  # in use: keep it when the cache is pruned
        return Outcome(stdout, stderr, code)

    def record(self, recorder: Recorder, outcome: Outcome) -> None:
        """Store the outcome with digests of everything the run read (atomically; best effort)."""
        dirs = dict(recorder.dirs)
        for site in _import_dirs():  # plugins come from here: installing one changes the listing
            dirs.setdefault(site, _dir_digest(site, recorder.outputs))
        # The output is stored as it is, beside the record: a report of 30,000 findings is 6 MB,
        # which inside the JSON record took 0.02 s to decode on every replay.
        data = outcome.stdout.encode("utf-8", "surrogatepass")  # any lone surrogate round-trips
        stdout_file = f"{self.path.stem}-{_bytes_digest(data)}.txt"
        record = {
            "inputs": {
                "files": dict(sorted(recorder.files.items())),
                "dirs": dict(sorted(dirs.items())),
                "probes": dict(sorted(recorder.probes.items())),
                "outputs": sorted(recorder.outputs),
            },
            "stdout_file": stdout_file,
            "stdout_bytes": len(data),
            "stderr": outcome.stderr,
            "code": outcome.code,
        }
        try:
            write_bytes_atomically(self.path.with_name(stdout_file), data)
            write_text_atomically(self.path, json.dumps(record, separators=(",", ":")))
        except OSError:
            return  # a read-only cache only costs time
        for older in self.path.parent.glob(f"{self.path.stem}-*.txt"):
            if older.name != stdout_file:
                with contextlib.suppress(OSError):
                    older.unlink()  # a replay still reading it keeps its open copy (or falls back)
