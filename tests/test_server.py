"""``check --server`` and ``policylint server``: the warm server, through real processes.

Every test uses its own server folder (``POLICYLINT_SERVER_DIR``) and stops its servers when it
ends. Output through the server is compared byte for byte with an in-process run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not hasattr(socket, "send_fds") or not hasattr(socket, "AF_UNIX"),
    reason="the warm server needs fork(), Unix sockets and socket.send_fds",
)

GOOD = EXAMPLES / "good" / "customer-service-policy.md"
TODAY = "2026-11-23"
FALLBACK = b"not using the server"


def run(
    *args: str, env: dict[str, str], cwd: Path = ROOT, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "policylint", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
    )


def _folder() -> Path:
    # Short, under /tmp: a Unix socket path must stay under 108 bytes (pytest's tmp_path may not).
    return Path(tempfile.mkdtemp(prefix="pls-", dir="/tmp"))


def _status(folder: Path) -> dict[str, object]:
    found = list(folder.glob("*.json"))
    assert len(found) == 1, found
    data: dict[str, object] = json.loads(found[0].read_text(encoding="utf-8"))
    return data


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (reaped later by init) counts as gone
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def _wait(condition: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.05)
    return False


class Servers:
    """A server folder and the environment that points clients at it; stops what it started."""

    def __init__(self) -> None:
        self.folder = _folder()
        self.env = {**os.environ, "POLICYLINT_SERVER_DIR": str(self.folder)}
        self.env.pop("POLICYLINT_SERVER", None)

    def close(self) -> None:
        run("server", "stop", env=self.env, timeout=60)
        for status in self.folder.glob("*.json"):  # belt and braces: nothing must outlive the test
            pid = int(json.loads(status.read_text(encoding="utf-8"))["pid"])
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture
def servers() -> Iterator[Servers]:
    made = Servers()
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def served() -> Iterator[Servers]:
    """One running server shared by the tests that do not stop or kill it."""
    made = Servers()
    try:
        started = run("server", "start", env=made.env)
        assert started.returncode == 0, started.stderr
        assert b"started, pid" in started.stdout
        yield made
    finally:
        made.close()


def _same(served: Servers, *args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> int:
    """Run ``check ARGS`` in-process and through the server; both must print the same bytes."""
    before = int(str(_status(served.folder)["requests"]))
    alone = run("check", *args, env=served.env, stdin=stdin, cwd=cwd)
    through = run("check", "--server", *args, env=served.env, stdin=stdin, cwd=cwd)
    assert FALLBACK not in through.stderr, through.stderr
    assert through.stdout == alone.stdout
    assert through.stderr == alone.stderr
    assert through.returncode == alone.returncode
    assert int(str(_status(served.folder)["requests"])) == before + 1  # it really went there
    return through.returncode


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--no-cache", "--today", TODAY, "examples/"], 1),
        (["--no-cache", "--today", TODAY, "--format", "json", "examples/"], 1),
        (["--no-cache", "--today", TODAY, "--color", "always", "--statistics", "examples/needs-work"], 1),
        (["--no-cache", "--today", TODAY, str(GOOD)], 0),
        (["--no-cache", "--fail-on", "sometimes", str(GOOD)], 2),  # a usage error (argparse)
        (["--no-cache", "--config", "missing.toml", str(GOOD)], 2),  # a configuration error
    ],
)
def test_output_and_exit_code_match_an_in_process_run(served: Servers, args: list[str], code: int) -> None:
    assert _same(served, *args) == code


def test_stdin_is_read_through_the_server(served: Servers) -> None:
    text = b"# Returns\r\n\r\nWe reply promptly. Effective 03/04/2025.\r\n"
    assert _same(served, "--no-cache", "--today", TODAY, "--stdin-filename", "p.md", "-", stdin=text) == 0
    result = run("check", "--server", "--format", "json", "-", env=served.env, stdin=text)
    assert {f["rule"] for f in json.loads(result.stdout)["findings"]} >= {"dates.vague-time"}


def test_edited_user_pack_and_config_are_seen_by_the_next_request(served: Servers, tmp_path: Path) -> None:
    pack = tmp_path / "house.toml"
    template = """[pack]
name = "house"
description = "House rules."

[[rule]]
id = "house.banned"
kind = "phrase"
severity = "error"
summary = "Banned phrase"
message = "“{{match}}” is banned here."
rationale = "House style."
source = "House style guide"
[rule.example]
bad = "# Returns\\n\\nSatisfaction {word}.\\n"
good = "# Returns\\n\\nReturn it within 30 days.\\n"
[rule.params]
phrases = ["{word}"]
"""
    pack.write_text(template.format(word="guaranteed"), encoding="utf-8")
    config = tmp_path / "policylint.toml"
    config.write_text('rule_paths = ["house.toml"]\nselect = ["house"]\n', encoding="utf-8")
    policy = tmp_path / "policy.md"
    policy.write_text("# Returns\n\nSatisfaction guaranteed, delivered swiftly.\n", encoding="utf-8")

    def findings(*extra: str) -> list[tuple[str, str]]:
        result = run(
            "check", "--server", "--format", "json", *extra, "policy.md", env=served.env, cwd=tmp_path
        )
        assert FALLBACK not in result.stderr, result.stderr
        return [(f["rule"], f["message"]) for f in json.loads(result.stdout)["findings"]]

    for extra in (["--no-cache"], []):  # a fresh child, and the result cache and replay as well
        pack.write_text(template.format(word="guaranteed"), encoding="utf-8")
        config.write_text('rule_paths = ["house.toml"]\nselect = ["house"]\n', encoding="utf-8")
        assert findings(*extra) == [("house.banned", "“guaranteed” is banned here.")]
        pack.write_text(template.format(word="swiftly"), encoding="utf-8")
        assert findings(*extra) == [("house.banned", "“swiftly” is banned here.")]
        config.write_text('rule_paths = ["house.toml"]\nselect = ["dates"]\n', encoding="utf-8")
        assert [rule for rule, _message in findings(*extra)] == ["dates.missing-effective-date"]


def test_unchanged_run_is_replayed_by_the_server(served: Servers, tmp_path: Path) -> None:
    env = {**served.env, "POLICYLINT_CACHE_DIR": str(tmp_path / "cache")}
    first = run("check", "--server", "--timings", "--today", TODAY, str(GOOD), env=env)
    second = run("check", "--server", "--timings", "--today", TODAY, str(GOOD), env=env)
    assert first.returncode == second.returncode == 0
    assert b"replayed" not in first.stderr
    assert b"replayed the recorded outcome" in second.stderr
    assert second.stdout == first.stdout


def test_environment_variable_turns_the_server_on(served: Servers) -> None:
    before = int(str(_status(served.folder)["requests"]))
    result = run("check", "--no-cache", str(GOOD), env={**served.env, "POLICYLINT_SERVER": "1"})
    assert result.returncode == 0, result.stderr
    assert int(str(_status(served.folder)["requests"])) == before + 1


def test_client_imports_nothing_heavy(served: Servers) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "policylint",
            "check",
            "--server",
            "--no-cache",
            str(GOOD),
        ],
        capture_output=True,
        env=served.env,
        timeout=120,
    )
    assert result.returncode == 0
    imported = {line.rsplit(b"|", 1)[-1].strip() for line in result.stderr.splitlines() if b"|" in line}
    assert b"policylint.client" in imported
    heavy = {name for name in imported if name.split(b".")[0] in (b"pydantic", b"spacy", b"rich")}
    assert not heavy
    assert b"policylint.engine" not in imported


def test_status_reports_the_running_server(served: Servers) -> None:
    result = run("server", "status", env=served.env)
    assert result.returncode == 0
    pid = _status(served.folder)["pid"]
    assert f"running, pid {pid}".encode() in result.stdout
    assert b"requests served:" in result.stdout and b"uptime:" in result.stdout


def _like_a_terminal() -> None:
    """Ctrl-C's default action, as in a terminal's foreground job. A shell starts background
    jobs (`cmd &`, as some CI runners and `nohup ... &` do) with SIGINT ignored, and Python then
    installs no KeyboardInterrupt handler: the client would never see the signal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_interrupts_the_check_in_the_server(served: Servers) -> None:
    client = subprocess.Popen(
        [sys.executable, "-m", "policylint", "check", "--server", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=served.env,
        preexec_fn=_like_a_terminal,
    )
    assert client.stdin is not None and client.stderr is not None
    try:  # the child now waits for stdin; interrupt the client as a terminal's Ctrl-C would
        assert _wait(lambda: b"in progress: 1" in run("server", "status", env=served.env).stdout)
        client.send_signal(signal.SIGINT)
        # stdin stays open until the client has exited, so that the check cannot end on its own
        # (end of input, exit 1) while the interrupt is on its way.
        client.wait(timeout=30)
        err = client.stderr.read()
    finally:
        client.kill()
        client.stdin.close()
    assert client.returncode == 2
    assert b"policylint: interrupted" in err
    assert _wait(lambda: b"in progress: 0" in run("server", "status", env=served.env).stdout)


def test_concurrent_clients_start_one_server_and_stop_stops_it(servers: Servers) -> None:
    clients = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "policylint",
                "check",
                "--server",
                "--no-cache",
                "--today",
                TODAY,
                str(GOOD),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=servers.env,
        )
        for _ in range(3)
    ]
    outputs = [client.communicate(timeout=120) for client in clients]
    assert [client.returncode for client in clients] == [0, 0, 0]
    assert all(FALLBACK not in err for _out, err in outputs), outputs
    assert len({out for out, _err in outputs}) == 1
    assert len(list(servers.folder.glob("*.sock"))) == 1
    logs = "".join(p.read_text(encoding="utf-8") for p in servers.folder.glob("*.log"))
    assert logs.count(" ready on ") == 1, logs
    status = _status(servers.folder)
    assert status["requests"] == 3
    pid = int(str(status["pid"]))

    stopped = run("server", "stop", env=servers.env)
    assert stopped.returncode == 0
    assert f"stopped pid {pid}".encode() in stopped.stdout
    assert _wait(lambda: not _alive(pid))
    assert not list(servers.folder.glob("*.sock"))
    assert run("server", "status", env=servers.env).returncode == 1


def test_killed_server_leaves_a_stale_socket_the_next_client_replaces_then_idles_out(
    servers: Servers,
) -> None:
    started = run("server", "start", env=servers.env)
    assert started.returncode == 0, started.stderr
    old = int(str(_status(servers.folder)["pid"]))
    os.kill(old, signal.SIGKILL)
    assert _wait(lambda: not _alive(old))
    assert len(list(servers.folder.glob("*.sock"))) == 1  # stale: nobody listens on it
    assert run("server", "status", env=servers.env).returncode == 1

    env = {**servers.env, "POLICYLINT_SERVER_IDLE_TIMEOUT": "2"}
    result = run("check", "--server", "--no-cache", "--today", TODAY, str(GOOD), env=env)
    assert result.returncode == 0, result.stderr
    assert FALLBACK not in result.stderr
    new = int(str(_status(servers.folder)["pid"]))
    assert new != old and _alive(new)

    # Two seconds without requests: the new server exits and removes its socket.
    assert _wait(lambda: not _alive(new), seconds=30)
    assert not list(servers.folder.glob("*.sock"))
    assert run("server", "status", env=servers.env).returncode == 1


@pytest.mark.parametrize("problem", ["a file", "too long", "a symlink"])
def test_unusable_server_folder_falls_back_to_an_in_process_run(tmp_path: Path, problem: str) -> None:
    target = tmp_path / "srv"
    if problem == "a file":
        target.write_text("not a folder", encoding="utf-8")
    elif problem == "too long":
        target = tmp_path / ("x" * 120)
    else:
        (tmp_path / "real").mkdir(mode=0o700)
        target.symlink_to(tmp_path / "real")
    env = {**os.environ, "POLICYLINT_SERVER_DIR": str(target), "POLICYLINT_SERVER": "1"}
    result = run("check", "--no-cache", "--today", TODAY, str(GOOD), env=env)
    alone = run("check", "--no-cache", "--today", TODAY, str(GOOD), env={**env, "POLICYLINT_SERVER": "0"})
    assert result.returncode == alone.returncode == 0
    assert result.stdout == alone.stdout
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and "not using the server" in lines[0] and "checking in this process" in lines[0]
    if problem == "a symlink":
        assert not list((tmp_path / "real").iterdir())  # nothing was put through the link


_DYING_PLUGIN = """
import os
import sys

from policylint.checks.base import RuleKind


class Die(RuleKind):
    kind = "die"

    def check(self, ctx):
        if "DIE-LOUDLY" in ctx.document.source:
            sys.stdout.write("partial output\\n")
            sys.stdout.flush()
            os._exit(3)
        if "DIE-SILENTLY" in ctx.document.source:
            os._exit(3)
        return iter(())
"""

_DYING_PACK = """[pack]
name = "dying"
description = "A rule that kills the process checking a document that asks for it."

[[rule]]
id = "dying.die"
kind = "die"
severity = "warning"
summary = "Dies"
message = "never shown"
rationale = "Stands in for a native crash in a plugin."
source = "tests"
[rule.example]
bad = "anything"
good = "anything"
"""


def test_a_child_that_dies_is_retried_in_process_only_if_it_wrote_nothing(
    servers: Servers, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    info = site / "dying_plugin-0.1.dist-info"
    info.mkdir(parents=True)
    (site / "dying_plugin.py").write_text(_DYING_PLUGIN, encoding="utf-8")
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dying-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[policylint.rules]\ndie = dying_plugin:Die\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pack.toml").write_text(_DYING_PACK, encoding="utf-8")
    (project / "policylint.toml").write_text('rule_paths = ["pack.toml"]\nselect = ["dying"]\n')
    (project / "loud.md").write_text("# Policy\n\nDIE-LOUDLY\n", encoding="utf-8")
    (project / "silent.md").write_text("# Policy\n\nDIE-SILENTLY\n", encoding="utf-8")
    path = os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p)
    env = {**servers.env, "PYTHONPATH": path}

    loud = run("check", "--server", "--no-cache", "loud.md", env=env, cwd=project)
    assert loud.returncode == 2
    assert loud.stdout == b"partial output\n"  # once: not run a second time in-process
    assert b"died after writing the output above" in loud.stderr
    assert FALLBACK not in loud.stderr

    silent = run("check", "--server", "--no-cache", "silent.md", env=env, cwd=project)
    alone = run("check", "--no-cache", "silent.md", env=env, cwd=project)
    assert alone.returncode == 3  # the plugin kills an in-process run too
    assert silent.returncode == 3  # so the client fell back to one, which died the same way
    assert silent.stderr.count(FALLBACK) == 1 and b"died before writing anything" in silent.stderr
    assert _status(servers.folder)["requests"] == 2


@pytest.mark.parametrize(
    ("argv", "environment", "served"),
    [
        (["check", "a.md"], "", False),
        (["check", "a.md"], "1", True),
        (["check", "--server", "a.md"], "", True),
        (["check", "--no-server", "a.md"], "1", False),
        (["check", "--server", "--no-server", "a.md"], "", False),
        (["check", "--no-server", "--server", "a.md"], "0", True),
        (["check", "--", "--no-server"], "1", True),  # a file named --no-server, not the flag
        (["outline", "a.md"], "1", False),
    ],
)
def test_the_last_server_flag_wins_over_the_environment(
    argv: list[str], environment: str, served: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from policylint.cli import _server_argv

    monkeypatch.setenv("POLICYLINT_SERVER", environment)
    forwarded = _server_argv(argv)
    assert (forwarded is not None) is served
    if forwarded is not None:
        assert "--server" not in forwarded[: forwarded.index("--") if "--" in forwarded else None]


def test_no_server_checks_in_this_process_despite_the_environment(served: Servers) -> None:
    before = int(str(_status(served.folder)["requests"]))
    env = {**served.env, "POLICYLINT_SERVER": "1"}
    result = run("check", "--no-server", "--no-cache", "--today", TODAY, str(GOOD), env=env)
    assert result.returncode == 0, result.stderr
    assert int(str(_status(served.folder)["requests"])) == before  # the server was not asked
