"""The client of the warm server: hand a ``check`` to it and wait for the exit code.

This runs in the short-lived ``policylint`` process, so it imports nothing heavier than the
standard library (no pydantic, spaCy, rich or engine): interpreter start plus this module is the
whole cost of the client. The check itself runs in a child the server forks for this request,
writing straight to this process's standard streams, which are passed to it as file descriptors
(SCM_RIGHTS): colours, progress bars and terminal width behave exactly as in an in-process run.

Every failure before the check starts (unsupported platform, unusable folder, a server that
cannot be started or reached, or that dies before running the check) raises
:class:`ServerUnavailable`, and the caller checks in-process instead: a run is never lost. Only
a child that dies after it has written output is reported as an error (exit 2), since running
the check again would print the output twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

from .serverid import (
    DEFAULT_IDLE_TIMEOUT,
    HEADER,
    MAGIC,
    ServerFiles,
    ServerUnavailable,
    peer_uid,
    server_dir,
    server_files,
    supported,
)

#: How long a client waits for a server it started to be ready (it warms up first: 2 to 4 s).
START_TIMEOUT = 15.0
#: How long an interrupted child gets to stop on SIGINT (and say so) before it is killed.
INTERRUPT_GRACE = 3.0
EXIT_ERROR = 2

#: Run by a server this client starts: the server imports with the client's exact ``sys.path``
#: (so it serves the same code and plugins, whatever folder the client was started in).
_BOOT = (
    "import json, os, sys; sys.path[:] = json.loads(os.environ.pop('_POLICYLINT_SERVER_SYS_PATH')); "
    "from policylint.cli import entry; sys.exit(entry())"
)


def check(argv: list[str]) -> int:
    """Run ``policylint check`` (``argv`` without ``--server``) in the warm server; returns
    its exit code. Raises ServerUnavailable when the run should happen in-process instead."""
    reason = supported()
    if reason is not None:
        raise ServerUnavailable(reason)
    streams = (sys.stdin, sys.stdout, sys.stderr)
    stdio: list[list[Any]] = []
    for number, stream in enumerate(streams):
        if stream is None:
            raise ServerUnavailable("a standard stream is closed")
        try:
            os.fstat(number)
        except OSError:
            raise ServerUnavailable("a standard stream is closed") from None
        stdio.append([stream.encoding, stream.errors, bool(getattr(stream, "line_buffering", False))])
    files = server_files()
    sock = connect_or_start(files, idle_timeout())
    umask = os.umask(0o022)
    os.umask(umask)
    request = {
        "op": "check",
        "argv": argv,
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "umask": umask,
        "stdio": stdio,
        "sys_path": sys.path,
    }
    with sock:
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            send(sock, request, [0, 1, 2])
        except OSError as exc:
            raise ServerUnavailable(f"the server did not take the request ({exc})") from None
        return _conversation(sock)


def idle_timeout() -> float:
    """``$POLICYLINT_SERVER_IDLE_TIMEOUT`` (seconds) for servers this client starts, else 15 min."""
    try:
        value = float(os.environ.get("POLICYLINT_SERVER_IDLE_TIMEOUT", ""))
    except ValueError:
        return DEFAULT_IDLE_TIMEOUT
    return value if value > 0 else DEFAULT_IDLE_TIMEOUT


def send(sock: socket.socket, message: dict[str, Any], fds: list[int] | None = None) -> None:
    """A request: header (with the file descriptors attached to it), then the JSON body."""
    body = json.dumps(message).encode("ascii")
    header = HEADER.pack(MAGIC, len(body))
    if fds:
        socket.send_fds(sock, [header], fds)
    else:
        sock.sendall(header)
    sock.sendall(body)


class Replies:
    """The server's reply lines (JSON), read as they come; safe to resume after an interrupt."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def next(self) -> dict[str, Any] | None:
        """The next message, or None at the end of the conversation."""
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(4096)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            return None
        return message if isinstance(message, dict) else None


class _Terminated(Exception):
    pass


def _on_term(signum: int, frame: FrameType | None) -> None:
    raise _Terminated


def _conversation(sock: socket.socket) -> int:
    """Wait for the child's pid, whether it wrote output, and its exit code."""
    replies = Replies(sock)
    pid: int | None = None
    wrote = False
    previous = signal.signal(signal.SIGTERM, _on_term)
    try:
        while True:
            message = replies.next()
            if message is None:
                break
            if "pid" in message:
                pid = int(message["pid"])
            elif "output" in message:
                wrote = True
            elif "exit" in message:
                return int(message["exit"])
    except KeyboardInterrupt:
        return _interrupted(pid, replies)
    except _Terminated:
        # Stop the check too, then die of SIGTERM as an in-process run would.
        _kill(pid, signal.SIGTERM)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)
        return EXIT_ERROR  # pragma: no cover - the signal ends the process
    except OSError as exc:
        if pid is None:
            raise ServerUnavailable(f"lost the server ({exc})") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    if pid is None:
        raise ServerUnavailable("the server closed the connection before running the check")
    if not wrote:
        raise ServerUnavailable(f"the server's process for this run (pid {pid}) died before writing anything")
    print(
        f"policylint: error: the server's process for this run (pid {pid}) died after writing the "
        "output above, which is incomplete; run without --server to see the whole report",
        file=sys.stderr,
    )
    return EXIT_ERROR


def _kill(pid: int | None, signum: int) -> None:
    """Signal the child's process group (it leads one: its worker processes are in it too)."""
    if pid is not None:
        with contextlib.suppress(OSError):
            os.killpg(pid, signum)


def _interrupted(pid: int | None, replies: Replies) -> int:
    """Ctrl-C: interrupt the child as the terminal would have, and give it a moment to say so."""
    _kill(pid, signal.SIGINT)
    if pid is not None:
        replies.sock.settimeout(INTERRUPT_GRACE)
        try:
            while (message := replies.next()) is not None:
                if "exit" in message:
                    return int(message["exit"])
        except (OSError, KeyboardInterrupt):
            pass
        _kill(pid, signal.SIGKILL)
    print("policylint: interrupted", file=sys.stderr)
    return EXIT_ERROR


def try_connect(path: Path, timeout: float = 10.0) -> socket.socket | None:
    """A connection to the server listening at ``path``; None when none listens there (no
    socket file, or a stale one left by a server that died). Refuses a server run by another
    user."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(os.fspath(path))
    except (FileNotFoundError, ConnectionRefusedError):
        sock.close()
        return None
    except OSError as exc:
        sock.close()
        raise ServerUnavailable(f"cannot connect to {path}: {exc}") from None
    uid = peer_uid(sock)
    if uid is not None and uid != os.getuid():
        sock.close()
        raise ServerUnavailable(f"{path} is served by another user (uid {uid}); not using it")
    sock.settimeout(None)
    return sock


@contextlib.contextmanager
def _start_lock(files: ServerFiles, deadline: float) -> Iterator[None]:
    """Only one client starts a server: the others wait here, then find it running."""
    import fcntl

    fd = os.open(files.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServerUnavailable(
                        "timed out waiting for another client starting the server"
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def connect_or_start(files: ServerFiles, idle: float) -> socket.socket:
    """A connection to this installation's server, starting one in the background if needed."""
    sock = try_connect(files.socket)
    if sock is not None:
        return sock
    deadline = time.monotonic() + START_TIMEOUT
    with _start_lock(files, deadline):
        sock = try_connect(files.socket)
        if sock is not None:
            return sock
        process = spawn(files, idle)
        return wait_ready(files, process, deadline)


def spawn(files: ServerFiles, idle: float) -> Any:
    """Start a server in its own session (it outlives this client); its output goes to a log
    beside the socket."""
    import subprocess

    env = dict(os.environ)
    env["_POLICYLINT_SERVER_SYS_PATH"] = json.dumps(sys.path)
    env["POLICYLINT_SERVER_DIR"] = str(files.folder)
    command = [
        sys.executable,
        "-X",
        f"utf8={sys.flags.utf8_mode}",
        "-c",
        _BOOT,
        "server",
        "start",
        "--foreground",
        "--idle-timeout",
        str(idle),
        "--expect",
        files.name,
    ]
    with contextlib.suppress(OSError):
        if files.log.stat().st_size > 1_000_000:
            files.log.unlink()
    try:
        with open(files.log, "ab") as log:
            return subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=env,
                start_new_session=True,
                close_fds=True,
            )
    except OSError as exc:
        raise ServerUnavailable(f"cannot start the server: {exc}") from None


def wait_ready(files: ServerFiles, process: Any, deadline: float) -> socket.socket:
    """Wait (bounded) until the started server listens; it does so only once it is warm."""
    while time.monotonic() < deadline:
        sock = try_connect(files.socket)
        if sock is not None:
            return sock
        if process.poll() is not None:
            sock = try_connect(files.socket)  # it may have found another server already running
            if sock is not None:
                return sock
            raise ServerUnavailable(f"the server exited while starting (see {files.log})")
        time.sleep(0.02)
    raise ServerUnavailable(f"the server was not ready within {START_TIMEOUT:.0f} s (see {files.log})")


def ask(sock: socket.socket, op: str) -> dict[str, Any] | None:
    """Send a control request (status, stop) and return the reply."""
    with sock:
        sock.settimeout(10.0)
        try:
            send(sock, {"op": op})
            return Replies(sock).next()
        except OSError:
            return None


def start(files: ServerFiles, idle: float) -> int:
    """``policylint server start``: start a background server unless one is running."""
    sock = try_connect(files.socket)
    if sock is None:
        deadline = time.monotonic() + START_TIMEOUT
        with _start_lock(files, deadline):
            sock = try_connect(files.socket)
            if sock is None:
                sock = wait_ready(files, spawn(files, idle), deadline)
                info = ask(sock, "status") or {}
                print(f"policylint server: started, pid {info.get('pid')}, socket {files.socket}")
                return 0
    info = ask(sock, "status") or {}
    print(f"policylint server: already running, pid {info.get('pid')}, socket {files.socket}")
    return 0


def status() -> int:
    """``policylint server status``: 0 and the server's details if it runs, else 1."""
    reason = supported()
    if reason is not None:
        print(f"policylint server: not available: {reason}")
        return 1
    files = server_files()
    sock = try_connect(files.socket)
    info = ask(sock, "status") if sock is not None else None
    if info is None:
        print(f"policylint server: not running (socket {files.socket})")
        others = [p for p in _sockets(files.folder) if p != files.socket]
        if others:
            print(f"{len(others)} other server socket(s) in {files.folder} belong to other installations")
        return 1
    uptime = time.time() - float(info.get("started", time.time()))
    print(f"policylint server: running, pid {info.get('pid')}")
    print(f"  socket: {files.socket}")
    print(f"  uptime: {_duration(uptime)}")
    print(f"  requests served: {info.get('requests')}, in progress: {info.get('active', 0)}")
    print(f"  exits after {_duration(float(info.get('idle_timeout', 0)))} without requests")
    print(f"  log: {files.log}")
    return 0


def stop() -> int:
    """``policylint server stop``: stop every server in the folder (this installation's and
    outdated ones), waiting until each has gone. Exit 0, also when none was running."""
    reason = supported()
    if reason is not None:
        print(f"policylint server: not available: {reason}")
        return 0
    folder = server_dir()
    stopped = 0
    for path in _sockets(folder):
        sock = try_connect(path)
        if sock is None:
            with contextlib.suppress(OSError):
                path.unlink()  # a stale socket of a server that died
                path.with_suffix(".json").unlink()
            continue
        reply = ask(sock, "stop")
        if reply is None or "stopping" not in reply:
            continue
        deadline = time.monotonic() + 5.0
        while path.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        print(f"policylint server: stopped pid {reply['stopping']}")
        stopped += 1
    if not stopped:
        print("policylint server: none was running")
    return 0


def _sockets(folder: Path) -> list[Path]:
    try:
        return sorted(folder.glob("*.sock"))
    except OSError:
        return []


def _duration(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else f"{minutes}m{secs:02d}s"
