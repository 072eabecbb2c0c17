"""Which warm server a client may use, and where its socket lives (light: stdlib only).

A warm server holds imported code and built-in packs in memory, so it may only answer clients
that would run exactly that code: the same policylint files (version and each module's size and
time, as for replay), the same interpreter and UTF-8 mode, the same import path with the same
installed packages (plugins come from there), and the same built-in packs. All of that is
hashed into the socket's name, so editing policylint, reinstalling or installing a plugin makes
clients look for a different server; the outdated one is never asked again and idles out.

The import path's first entry is left out: it is the script's folder (the ``policylint``
script's ``bin/``) or, under ``python -m``, the working folder, which would give every folder
its own server. Installed packages never live there; the child puts the client's own first
entry back before running, so anything imported during the request is found as the client
would find it.

User-editable inputs (config files, user rule packs, baselines, policies) are not part of the
identity: the server never loads them itself. Each request runs in a forked child that reads
them afresh, and whatever the child caches dies with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._version import __version__

#: The longest AF_UNIX path: 108 bytes with the terminating NUL on Linux, 104 on macOS and BSD.
MAX_SOCKET_PATH = 107 if sys.platform.startswith("linux") else 103
#: Seconds without a request after which a server exits (overridden by --idle-timeout or
#: $POLICYLINT_SERVER_IDLE_TIMEOUT).
DEFAULT_IDLE_TIMEOUT = 15 * 60
#: First bytes of every request: a magic word and the JSON body's length.
HEADER = struct.Struct("!4sI")
MAGIC = b"PLS1"


class ServerUnavailable(Exception):
    """The server cannot be used (platform, folder, socket); the caller checks in-process."""


def supported() -> str | None:
    """Why this platform cannot use a server, or None when it can."""
    import socket

    if not hasattr(os, "fork") or not hasattr(socket, "AF_UNIX"):
        return "this platform has no fork() or Unix sockets"
    if not hasattr(socket, "send_fds"):
        return "this Python cannot pass file descriptors over a socket"
    return None


def identity() -> str:
    """A short hash of everything a server's warm state depends on (see the module docstring)."""
    from .cache import packs_digest
    from .replay import _PACKAGE, _code_stamp

    material = json.dumps(
        {
            "version": __version__,
            "code": _code_stamp(),
            "package": str(_PACKAGE),
            "executable": sys.executable,
            "utf8": sys.flags.utf8_mode,
            "path": sys.path[1:],
            "imports": {folder: _installed(folder) for folder in _import_dirs()},
            "packs": packs_digest(()),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _import_dirs() -> list[str]:
    """The folders Python imports installed packages from (as ``replay._import_dirs``, without
    the first entry of the import path: see the module docstring)."""
    return sorted({os.path.abspath(p) for p in sys.path[1:] if p and os.path.isdir(p)})


#: Entries of an import folder that install something: a package's metadata (where plugins
#: declare their entry points), .pth files and editable-install links.
_INSTALL_SUFFIXES = (".dist-info", ".egg-info", ".pth", ".egg-link")


def _installed(folder: str) -> list[str]:
    """What is installed in an import folder, and when (a reinstall rewrites the record). Only
    install records count, not every entry: ``python -m policylint`` puts the working folder on
    ``sys.path``, and a new policy or the result cache appearing there must not make clients
    look for (and start) another server."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(_INSTALL_SUFFIXES))
    except OSError:
        return ["!unreadable"]
    stamped = []
    for name in names:
        try:
            stamped.append(f"{name}:{os.stat(os.path.join(folder, name)).st_mtime_ns}")
        except OSError:
            stamped.append(f"{name}:!")
    return stamped


def server_dir() -> Path:
    """``$POLICYLINT_SERVER_DIR``, else ``$XDG_RUNTIME_DIR/policylint``, else
    ``/tmp/policylint-<uid>``: created private (0700) and refused unless it is a real folder
    owned by this user, since whoever controls it could impersonate the server."""
    env = os.environ.get("POLICYLINT_SERVER_DIR")
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if env:
        folder = Path(env)
    elif runtime and os.path.isdir(runtime):
        folder = Path(runtime) / "policylint"
    else:
        folder = Path(f"/tmp/policylint-{os.getuid()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError as exc:
        raise ServerUnavailable(f"cannot create the server folder {folder}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        raise ServerUnavailable(f"{folder} is not a folder owned by you; not using it")
    if info.st_mode & 0o077:
        try:
            os.chmod(folder, 0o700)
        except OSError as exc:
            raise ServerUnavailable(f"cannot make {folder} private: {exc.strerror}") from None
    return folder


@dataclass(frozen=True)
class ServerFiles:
    """The files of one server: its socket, status file, log, and the start lock."""

    folder: Path
    name: str

    @property
    def socket(self) -> Path:
        return self.folder / f"{self.name}.sock"

    @property
    def status(self) -> Path:
        return self.folder / f"{self.name}.json"

    @property
    def log(self) -> Path:
        return self.folder / f"{self.name}.log"

    @property
    def lock(self) -> Path:
        return self.folder / f"{self.name}.lock"


def server_files(name: str | None = None) -> ServerFiles:
    """The files of the server for this installation (or of the one called ``name``)."""
    files = ServerFiles(server_dir(), name or identity())
    if len(os.fsencode(files.socket)) > MAX_SOCKET_PATH:
        raise ServerUnavailable(f"the socket path {files.socket} is longer than Unix sockets allow")
    return files


def peer_uid(sock: Any) -> int | None:
    """The user id of the process at the other end of a Unix socket (Linux), or None."""
    import socket

    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return None
    creds = sock.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[1])


def encode(message: dict[str, Any]) -> bytes:
    """One reply line: JSON (ASCII, so surrogate-escaped names survive) and a newline."""
    return json.dumps(message).encode("ascii") + b"\n"
