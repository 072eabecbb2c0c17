"""The warm server behind ``policylint check --server``: pay for spaCy and the rules once.

A fresh process spends about two seconds importing spaCy and pydantic, building the English
tokenizer and compiling every rule's patterns before it checks a single line, which is most of a
pre-commit hook's time on one small file. The server does all of that once (as the runner's
warm-up does before forking workers), freezes its heap, and then forks one child per request.

Fork-per-request is the point of the design: each request starts from an identical copy of the
warm state and nothing a request does (module caches, timings, the replay recorder, a user's
rule packs or config) survives it, so a request sees exactly what a fresh process would; and
clients run concurrently (pre-commit starts several at once). The child takes the client's
standard streams (passed as file descriptors), working folder, environment and umask, runs the
ordinary ``cli`` entry point, and sends the exit code back.

The server listens only once it is warm (clients wait for the socket), serves only its own user
(the folder is private and the peer's uid is checked), and exits after an idle timeout.
"""

from __future__ import annotations

import contextlib
import io
import json
import locale
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from . import heap
from .atomic import write_text_atomically
from .serverid import HEADER, MAGIC, ServerFiles, encode, peer_uid

#: A request's JSON body is the argv and the environment: a few kilobytes. More is refused.
MAX_REQUEST = 4 * 1024 * 1024


def warm_up() -> None:
    """Import what a check imports and build what it builds, for the default configuration
    (never a user's: their config files and packs are read by each request's child)."""
    import importlib

    from . import baseline, discover, reader  # noqa: F401 - imported to be warm
    from .config import Config
    from .reporters import REPORTERS
    from .runner import Task, _warm_up
    from .timings import TIMINGS

    for target in REPORTERS.values():
        importlib.import_module(target.partition(":")[0])
    for name in ("rich.console", "rich.progress", "rich.table", "rich.tree"):
        importlib.import_module(name)
    _warm_up(
        [Task(path=Path("<warm-up>"), config=Config(), fmt="markdown", display="<warm-up>")], thorough=True
    )
    TIMINGS.take()  # the warm-up's seconds are not a request's


#: What a request's child runs: the command line's own in-process entry (``cli.run``), handed to
#: :func:`serve` by the CLI so that this module never imports the CLI that imports it.
Command = Callable[[list[str]], int]


@dataclass
class _State:
    files: ServerFiles
    idle_timeout: float
    command: Command
    started: float = field(default_factory=time.time)
    requests: int = 0
    children: set[int] = field(default_factory=set)
    last: float = field(default_factory=time.monotonic)
    inode: int = 0

    def info(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "socket": str(self.files.socket),
            "started": self.started,
            "requests": self.requests,
            "active": len(self.children),
            "idle_timeout": self.idle_timeout,
        }

    def write_status(self) -> None:
        """The status file beside the socket (atomically replaced; best effort)."""
        with contextlib.suppress(OSError):
            write_text_atomically(self.files.status, json.dumps(self.info()))


def _live(files: ServerFiles) -> bool:
    """Whether a server already listens on this socket."""
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(5.0)
    try:
        probe.connect(os.fspath(files.socket))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def _listen(files: ServerFiles) -> tuple[socket.socket, int] | None:
    """Bind under a private name, then link it into place: the socket appears only when the
    server is ready, a stale socket is replaced, and of two servers racing only one wins.
    Returns None when a live server already has the socket."""
    temporary = files.folder / f".{files.name}.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(os.fspath(temporary))
    os.chmod(temporary, 0o600)
    listener.listen(128)
    try:
        for _attempt in range(5):
            try:
                os.link(temporary, files.socket)
                return listener, os.stat(files.socket).st_ino
            except FileExistsError:
                if _live(files):
                    listener.close()
                    return None
                with contextlib.suppress(FileNotFoundError):
                    files.socket.unlink()  # stale: its server died without removing it
        raise OSError(f"cannot create {files.socket}")
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def serve(files: ServerFiles, idle_timeout: float, command: Command) -> int:
    """Warm up, listen and serve until idle for ``idle_timeout`` seconds or asked to stop; each
    request's child runs ``command`` on the client's arguments."""
    if _live(files):
        print(f"policylint server: already running (socket {files.socket})", file=sys.stderr)
        return 0
    began = time.monotonic()
    warm_up()
    heap.freeze()  # children share the warm heap; their collector must not touch (and copy) it
    bound = _listen(files)
    if bound is None:
        print(f"policylint server: already running (socket {files.socket})", file=sys.stderr)
        return 0
    listener, inode = bound
    state = _State(files, idle_timeout, command, inode=inode)
    state.write_status()
    _prune(files, time.time())
    print(
        f"policylint server: pid {os.getpid()} ready on {files.socket} after "
        f"{time.monotonic() - began:.1f} s; exits after {idle_timeout:g} s idle",
        file=sys.stderr,
        flush=True,
    )
    os.chdir("/")  # hold no folder busy; each child goes to its client's folder

    def reap(signum: int = 0, frame: FrameType | None = None) -> None:
        while state.children:
            try:
                pid, _status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                state.children.clear()
                break
            if pid == 0:
                break
            state.children.discard(pid)
            state.last = time.monotonic()

    def terminate(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGCHLD, reap)
    signal.signal(signal.SIGTERM, terminate)
    try:
        while True:
            reap()
            wait = state.idle_timeout - (time.monotonic() - state.last)
            if state.children:
                wait = state.idle_timeout  # reaping a child restarts the idle clock anyway
            elif wait <= 0:
                _remove(state)  # new clients start a new server from here on;
                _drain(listener, state)  # those already queued are still served
                break
            listener.settimeout(min(max(wait, 0.05), 60.0))
            try:
                conn, _address = listener.accept()
            except TimeoutError:
                continue
            state.last = time.monotonic()
            if not _handle(conn, listener, state):
                break
    except KeyboardInterrupt:
        pass
    finally:
        _remove(state)
        listener.close()
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    print(f"policylint server: pid {os.getpid()} exiting after {state.requests} requests", file=sys.stderr)
    return 0


def _drain(listener: socket.socket, state: _State) -> None:
    """Serve the connections already queued when the server decided to exit."""
    listener.setblocking(False)
    while True:
        try:
            conn, _address = listener.accept()
        except (BlockingIOError, InterruptedError):
            return
        conn.setblocking(True)
        _handle(conn, listener, state)


def _prune(files: ServerFiles, now: float) -> None:
    """Delete the logs and locks of servers of other installations or versions that have not
    run for a day (each edit of policylint's code gets a new identity, and so new files)."""
    for path in [*files.folder.glob("*.log"), *files.folder.glob("*.lock")]:
        name = path.name.rsplit(".", 1)[0]
        if name == files.name or (files.folder / f"{name}.sock").exists():
            continue
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > 24 * 3600:
                path.unlink()


def _remove(state: _State) -> None:
    """Remove the socket and status file, unless a newer server has replaced them."""
    with contextlib.suppress(OSError):
        if os.stat(state.files.socket).st_ino == state.inode:
            state.files.socket.unlink()
            state.files.status.unlink(missing_ok=True)


def _read_request(conn: socket.socket) -> tuple[dict[str, Any], list[int]]:
    """The header (with any file descriptors attached to it), then the JSON body."""
    data, fds, _flags, _address = socket.recv_fds(conn, HEADER.size, 3)
    try:
        while len(data) < HEADER.size:
            chunk = conn.recv(HEADER.size - len(data))
            if not chunk:
                raise ValueError("short header")
            data += chunk
        magic, size = HEADER.unpack(data)
        if magic != MAGIC or size > MAX_REQUEST:
            raise ValueError("not a policylint request")
        body = b""
        while len(body) < size:
            chunk = conn.recv(min(size - len(body), 65536))
            if not chunk:
                raise ValueError("short request")
            body += chunk
        request = json.loads(body)
        if not isinstance(request, dict):
            raise ValueError("not a policylint request")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    return request, fds


def _handle(conn: socket.socket, listener: socket.socket, state: _State) -> bool:
    """Answer one connection; False when asked to stop."""
    fds: list[int] = []
    try:
        conn.settimeout(5.0)  # a local client sends its request at once
        uid = peer_uid(conn)
        if uid is not None and uid != os.getuid():
            return True
        request, fds = _read_request(conn)
        op = request.get("op")
        if op == "status":
            conn.sendall(encode(state.info()))
        elif op == "stop":
            conn.sendall(encode({"stopping": os.getpid()}))
            return False
        elif op == "check" and len(fds) == 3:
            _fork_child(conn, listener, state, request, fds)
    except (OSError, ValueError) as exc:
        print(f"policylint server: dropped a request: {exc}", file=sys.stderr, flush=True)
    finally:
        for fd in fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        conn.close()
    return True


def _fork_child(
    conn: socket.socket, listener: socket.socket, state: _State, request: dict[str, Any], fds: list[int]
) -> None:
    # SIGCHLD stays blocked until the pid is recorded, or a fast child could be reaped before.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        pid = os.fork()
        if pid == 0:
            _child(conn, listener, request, fds, state.command)
        state.children.add(pid)
        state.requests += 1
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    state.write_status()


#: Tells the client that the child wrote output; called once, on the first write.
_announce: Callable[[], None] | None = None


class _Announcing(io.FileIO):
    """Standard output or error that tells the client when output was first written (a child
    that dies after that cannot be retried in-process without printing twice)."""

    def write(self, data: Any) -> int:
        global _announce
        if _announce is not None:
            announce, _announce = _announce, None
            announce()
        return super().write(data)


def _stream(fd: int, settings: list[Any], writing: bool) -> io.TextIOWrapper:
    """A text stream on ``fd`` set up as the client's interpreter set up its own (encoding,
    error handler, line buffering; newlines untranslated, as Python does on POSIX)."""
    encoding, errors, line_buffering = settings
    if writing:
        buffer: Any = io.BufferedWriter(_Announcing(fd, "w", closefd=False))
    else:
        buffer = io.BufferedReader(io.FileIO(fd, "r", closefd=False))
    return io.TextIOWrapper(
        buffer, encoding=encoding, errors=errors, newline="\n", line_buffering=bool(line_buffering)
    )


def _child(
    conn: socket.socket, listener: socket.socket, request: dict[str, Any], fds: list[int], command: Command
) -> NoReturn:
    """One request: become the client's process (streams, folder, environment), run the CLI."""
    global _announce
    code = 2
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        listener.close()
        os.setpgid(0, 0)  # the client interrupts this group: the child and its workers
        conn.settimeout(None)
        conn.sendall(encode({"pid": os.getpid()}))

        def announce() -> None:
            with contextlib.suppress(OSError):
                conn.sendall(encode({"output": True}))

        _announce = announce
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        for fd, name in enumerate(("stdin", "stdout", "stderr")):
            wrapper = _stream(fd, request["stdio"][fd], writing=fd > 0)
            setattr(sys, name, wrapper)
            setattr(sys, f"__{name}__", wrapper)  # rich and others look at the originals too
        code = _run(request, command)
    except BaseException:
        with contextlib.suppress(BaseException):
            traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        with contextlib.suppress(BaseException):
            conn.sendall(encode({"exit": code}))
        os._exit(0)


def _run(request: dict[str, Any], command: Command) -> int:
    """The CLI, as the client would have run it in-process (SystemExit and crashes included)."""
    argv = [str(a) for a in request["argv"]]
    try:
        os.chdir(request["cwd"])
    except OSError as exc:
        print(f"policylint: error: cannot enter {request['cwd']}: {exc.strerror}", file=sys.stderr)
        return 2
    os.umask(int(request["umask"]))
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in request["env"].items()})
    time.tzset()  # "today" is the client's date, in the client's time zone
    with contextlib.suppress(locale.Error):
        locale.setlocale(locale.LC_CTYPE, "")
    sys.argv = ["policylint", *argv]
    sys.path[:] = [str(p) for p in request["sys_path"]]  # the same but for the script's folder
    try:
        return command(argv)
    except SystemExit as exc:
        if exc.code is None:
            return 0
        if isinstance(exc.code, int):
            return exc.code
        print(exc.code, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("policylint: interrupted", file=sys.stderr)
        return 2
    except Exception:
        traceback.print_exc()
        return 1
