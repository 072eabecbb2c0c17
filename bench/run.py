"""Benchmark policylint against the peers, in one run, on the shared corpus (and the same ×10).

    python bench/run.py [--corpus ../shared/corpus] [--runs 3] [--write bench/RESULTS.md] [--no-peers]

Builds two corpora from the English Markdown files of the shared corpus (as the peers' own script
does), installs proselint and write-good into a cache folder once (like ../shared/peers/run-peers),
and times each tool with GNU time: wall seconds (median of --runs), words per second and peak RSS.
Only ratios measured in the same run mean anything on a shared machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TIME = "/usr/bin/time"


def build_corpora(corpus: Path, work: Path) -> tuple[list[Path], list[Path], int]:
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    sources = [corpus / d["local"] for d in manifest if d["lang"] == "en" and d["format"] == "markdown"]
    x1 = work / "x1"
    x10 = work / "x10"
    x1.mkdir()
    x10.mkdir()
    small: list[Path] = []
    big: list[Path] = []
    for src in sources:
        target = x1 / src.name
        shutil.copy(src, target)
        small.append(target)
        for i in range(10):
            copy = x10 / f"{i}-{src.name}"
            shutil.copy(src, copy)
            big.append(copy)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in small)
    return small, big, words


class Timing(NamedTuple):
    """Medians over runs: wall seconds and CPU seconds (user + system, the command and its
    children), the highest peak RSS in KB, and the fastest run's wall seconds. CPU seconds change
    less than wall time with the load of a shared machine, so they show whether a change made the
    work itself smaller; the fastest run is the closest to what a quiet machine would show."""

    wall: float
    peak: int
    cpu: float
    best: float

    def client(self) -> Timing:
        """The wall times only: with --server the work is done in the server, so the client's
        memory and CPU say nothing about it."""
        return Timing(self.wall, 0, 0.0, self.best)


def timed(
    cmd: list[str], runs: int, env: dict[str, str] | None = None, before: list[str] | None = None
) -> Timing:
    """Run ``cmd`` ``runs`` times under GNU time (after ``before``, if given, each time)."""
    walls: list[float] = []
    cpus: list[float] = []
    peak = 0
    for _ in range(runs):
        if before:
            subprocess.run(before, capture_output=True, env=env, check=False)
        with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
            subprocess.run(
                [TIME, "-f", "%e %U %S %M", "-o", out.name, *cmd],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
                check=False,
            )
            wall, user, system, rss = out.read().split()[-4:]
        walls.append(float(wall))
        cpus.append(float(user) + float(system))
        peak = max(peak, int(rss))
    return Timing(statistics.median(walls), peak, statistics.median(cpus), min(walls))


def paired(
    first: list[str], second: list[str], runs: int, env: dict[str, str]
) -> tuple[Timing, Timing, list[float]]:
    """Time two commands alternately, ``runs`` times each: each one's timing and the ratio
    first/second of the wall times of every back-to-back pair.

    On a shared machine the load changes within seconds; a ratio of two medians taken minutes
    apart measures the load as much as the commands, while the median of paired ratios compares
    runs that saw the same machine.
    """
    runs_of: tuple[list[Timing], list[Timing]] = ([], [])
    for _ in range(runs):
        for i, cmd in enumerate((first, second)):
            runs_of[i].append(timed(cmd, 1, env))
    ratios = [a.wall / b.wall for a, b in zip(runs_of[0], runs_of[1], strict=True) if b.wall > 0]

    def summary(timings: list[Timing]) -> Timing:
        return Timing(
            statistics.median(t.wall for t in timings),
            max(t.peak for t in timings),
            statistics.median(t.cpu for t in timings),
            min(t.best for t in timings),
        )

    return summary(runs_of[0]), summary(runs_of[1]), ratios


def install_peers() -> dict[str, list[str]]:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "policylint-peers"
    venv = cache / "venv"
    node = cache / "node"
    if not (venv / "bin" / "proselint").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "proselint"], check=True)
    if not (node / "node_modules" / ".bin" / "write-good").exists():
        node.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "init", "-y"], cwd=node, capture_output=True, check=True)
        subprocess.run(
            ["npm", "install", "--silent", "write-good"], cwd=node, capture_output=True, check=True
        )
    return {
        "proselint": [str(venv / "bin" / "proselint"), "check"],
        "write-good": [str(node / "node_modules" / ".bin" / "write-good")],
    }


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def machine_scaling(jobs: int) -> float:
    """How much faster ``jobs`` processes finish ``jobs`` pieces of pure-Python work than one
    process does: the most any tool can gain from parallelism on this machine right now (other
    load on a shared machine shows here first)."""
    import multiprocessing

    n = 4_000_000
    started = time.perf_counter()
    for _ in range(jobs):
        _spin(n)
    serial = time.perf_counter() - started
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        started = time.perf_counter()
        pool.map(_spin, [n] * jobs)
        parallel = time.perf_counter() - started
    return serial / parallel


def server_memory(folder: Path) -> int:
    """Peak RSS (KB) of the running warm server, from its status file and /proc (0 if unknown)."""
    for status in folder.glob("*.json"):
        try:
            pid = json.loads(status.read_text(encoding="utf-8"))["pid"]
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        except (OSError, ValueError, KeyError):
            continue
    return 0


def _compile_bytecode(policylint: str) -> None:
    """Write the timed policylint's bytecode first, as pip does when it installs a package. In an
    editable checkout with PYTHONDONTWRITEBYTECODE set, every timed process would otherwise
    compile each module edited since its last .pyc was written, and time that too."""
    script = (
        "import compileall, pathlib, policylint; "
        "compileall.compile_dir(pathlib.Path(policylint.__file__).parent, quiet=1)"
    )
    python = Path(policylint).with_name("python")
    subprocess.run([str(python) if python.exists() else sys.executable, "-c", script], check=False)


def _edit_one(path: Path) -> list[str]:
    """A command that appends one sentence to ``path``: the pre-commit case of one changed file."""
    code = f"import pathlib; p = pathlib.Path({str(path)!r}); p.write_text(p.read_text() + '\\nWe reply promptly.\\n')"
    return [sys.executable, "-c", code]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="also write the results as Markdown to this file")
    parser.add_argument("--no-peers", action="store_true", help="time policylint only")
    args = parser.parse_args(argv)
    # The policylint of the interpreter running this script (not whatever `policylint` is first
    # on PATH: a pyenv shim or an older install would be timed instead).
    beside = Path(sys.executable).parent / "policylint"
    policylint = str(beside) if beside.exists() else (shutil.which("policylint") or "policylint")
    print(
        f"timing {policylint} ({subprocess.run([policylint, '--version'], capture_output=True, text=True).stdout.strip()})"
    )
    _compile_bytecode(policylint)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    rows: list[tuple[str, str, Timing, int]] = []  # (tool, case, timing, words)
    scaling: dict[str, list[float]] = {}  # label -> 1-job/N-job ratios of paired runs
    against: dict[str, list[float]] = {}  # label -> policylint/proselint ratios of paired runs
    peers = {} if args.no_peers else install_peers()
    load_before = os.getloadavg()[0]
    capacity = machine_scaling(cores) if cores > 1 else 1.0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small, big, words = build_corpora(args.corpus, work)
        env = {
            **os.environ,
            "POLICYLINT_CACHE_DIR": str(work / "cache"),
            # Compiled patterns (regex_cache) live in the user's cache: start that empty too.
            "XDG_CACHE_HOME": str(work / "user-cache"),
            "POLICYLINT_SERVER_DIR": str(work / "server"),
            "NO_COLOR": "1",
        }
        base = [policylint, "check", "--format", "json", "--fail-on", "never"]
        for label, files, n_words in (("62k", small, words), ("622k", big, words * 10)):
            folder = str(files[0].parent)
            default_cmd = [*base, "--no-cache", folder]
            if "proselint" in peers:
                # Back to back with proselint, so that the headline ratio compares runs that saw
                # the same machine (see paired).
                default, prose, against[label] = paired(
                    default_cmd, [*peers["proselint"], *map(str, files)], args.runs, env
                )
                rows.append(("proselint", f"{label}", prose, n_words))
            else:
                default = timed(default_cmd, args.runs, env)
            rows.append(("policylint", f"{label} cold (default --jobs)", default, n_words))
            one, cold, pair_ratios = paired(
                [*base, "--no-cache", "--jobs", "1", folder],
                [*base, "--no-cache", "--jobs", str(cores), folder],
                args.runs,
                env,
            )
            rows.append(("policylint", f"{label} cold, {cores} jobs", cold, n_words))
            rows.append(("policylint", f"{label} cold, 1 job", one, n_words))
            scaling[label] = pair_ratios
            prime = [*base, folder]
            warm = timed(prime, args.runs, env, before=prime)
            rows.append(("policylint", f"{label} warm (unchanged: replayed)", warm, n_words))
            edited = timed(prime, args.runs, env, before=_edit_one(files[len(files) // 2]))
            rows.append(("policylint", f"{label} warm, one file edited", edited, n_words))
            # The warm server (docs/server.md), already running: the same cold check (--no-cache),
            # without the per-process start-up. Peak memory is the client's only.
            subprocess.run([policylint, "server", "start"], capture_output=True, env=env, check=False)
            served = timed([*base, "--server", "--no-cache", folder], args.runs, env)
            rows.append(("policylint", f"{label} cold, --server (server running)", served.client(), n_words))
            for name, cmd in peers.items():
                if name != "proselint":
                    result = timed([*cmd, *map(str, files)], args.runs)
                    rows.append((name, f"{label}", result, n_words))
        single = ROOT / "examples" / "good" / "customer-service-policy.md"
        one_words = len(single.read_text().split())
        one_file = timed([*base, "--no-cache", str(single)], args.runs, env)
        rows.append(("policylint", "one small file, cold", one_file, one_words))
        # What a pre-commit hook sees: the file changed since the last run, the cache is there.
        edited_copy = work / "edited" / single.name
        edited_copy.parent.mkdir()
        shutil.copy(single, edited_copy)
        subprocess.run([*base, str(edited_copy)], capture_output=True, env=env, check=False)
        edited = timed([*base, str(edited_copy)], args.runs, env, before=_edit_one(edited_copy))
        rows.append(("policylint", "one small file, edited (cache on)", edited, one_words))
        subprocess.run([policylint, "server", "start"], capture_output=True, env=env, check=False)
        served = timed([*base, "--server", "--no-cache", str(single)], args.runs, env)
        rows.append(
            ("policylint", "one small file, cold, --server (server running)", served.client(), one_words)
        )
        server_peak = server_memory(work / "server")
        stop = [policylint, "server", "stop"]
        first = timed([*base, "--server", "--no-cache", str(single)], args.runs, env, before=stop)
        rows.append(("policylint", "one small file, --server starting the server", first.client(), one_words))
        subprocess.run(stop, capture_output=True, env=env, check=False)
        for flag in ("--version", "--help"):
            result = timed([policylint, flag], args.runs, env)
            rows.append(("policylint", flag, result, 0))
    load_after = os.getloadavg()[0]

    seconds = {(tool, case): timing.wall for tool, case, timing, _ in rows}
    proselint = {case: secs for (tool, case), secs in seconds.items() if tool == "proselint"}
    lines = [
        f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"{dt.date.today().isoformat()}; load average {load_before:.2f} before, {load_after:.2f} after. "
        f"Median of {args.runs} runs (and the fastest); corpus: {len(small)} English Markdown files "
        f"of the shared corpus ({words:,} words) and the same ×10.",
        "",
        "| tool | case | wall s | fastest s | CPU s | words/s | peak MB | × proselint |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for tool, case, timing, n_words in rows:
        secs = timing.wall
        size = case.split()[0]
        ratio = f"{secs / proselint[size]:.2f}" if proselint.get(size) else ""
        rate = f"{n_words / secs:,.0f}" if n_words and secs else ""
        memory = f"{timing.peak / 1024:.0f}" if timing.peak else "n/a"
        cpu = f"{timing.cpu:.2f}" if timing.peak else "n/a"
        lines.append(
            f"| {tool} | {case} | {secs:.2f} | {timing.best:.2f} | {cpu} | {rate} | {memory} | {ratio} |"
        )
    lines.append("")
    if server_peak:
        lines.append(
            f"- `--server` rows: the client's memory and CPU are not shown; the warm server process peaked at "
            f"{server_peak / 1024:.0f} MB (each request runs in a fork of it)."
        )
    for label, ratios in against.items():
        shown = ", ".join(f"{r:.2f}" for r in ratios)
        lines.append(
            f"- policylint ÷ proselint on {label}, cold, default --jobs: {statistics.median(ratios):.2f} "
            f"(median of {len(ratios)} back-to-back pairs: {shown})."
        )
    for label, ratios in scaling.items():
        shown = ", ".join(f"{r:.2f}" for r in ratios)
        lines.append(
            f"- Scaling on {label}, 1 → {cores} jobs: {statistics.median(ratios):.2f}× (median of "
            f"{len(ratios)} back-to-back pairs: {shown}; this machine's own ceiling, pure Python in "
            f"{cores} processes: {capacity:.2f}×)."
        )
    text = "\n".join(lines)
    print(text)
    if args.write:
        command = "python bench/run.py" + (f" --runs {args.runs}" if args.runs != 3 else "")
        args.write.write_text(
            "# Benchmark results\n\nProduced by `" + command + "` (see bench/run.py).\n\n" + text + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
