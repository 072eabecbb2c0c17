"""Time what the choice of regular-expression engine can change: loading the packs, and a run.

    python bench/regex_engine.py [--corpus ../shared/corpus] [--runs 5] [--src NAME=DIR ...]

``load``: a fresh process loads every pack and builds every rule for every language (this is
where pack patterns are compiled and, before RE2, analysed), with the regex cache off.
``run``: ``policylint check CORPUS --format json --no-cache`` end to end. Both are medians of
``--runs`` fresh processes, in seconds; compare only numbers taken in the same session.

``--src before=/tmp/old/src --src after=src`` times two checkouts (each a ``src`` folder with
``rules`` beside it, put first on PYTHONPATH) turn about, so that load on a shared machine falls
on both alike. Without it, the installed policylint is timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOAD = """
import time
started = time.perf_counter()
from policylint.config import Config
from policylint.engine import catalog_for, rules_for
config = Config()
for code in sorted(catalog_for(config).languages):
    rules_for(config, code)
print(time.perf_counter() - started)
"""


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = str(Path(src).resolve()) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def load_seconds(src: str | None) -> float:
    """Seconds one fresh process takes to import, load the packs and build every rule."""
    out = subprocess.run(
        [sys.executable, "-c", LOAD], check=True, capture_output=True, text=True, cwd=ROOT, env=_env(src)
    )
    return float(out.stdout.strip().splitlines()[-1])


def run_seconds(corpus: Path, src: str | None) -> float:
    """Wall seconds of one full check of ``corpus`` (findings are discarded)."""
    command = [sys.executable, "-m", "policylint", "check", str(corpus), "--format", "json", "--no-cache"]
    command += ["--today", "2026-12-06"]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, cwd=ROOT, env=_env(src))  # exit 1 = findings
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--src", action="append", default=[], help="NAME=DIR of a checkout's src folder")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    sources = dict(item.split("=", 1) for item in args.src) or {"installed": ""}
    loads: dict[str, list[float]] = {name: [] for name in sources}
    runs: dict[str, list[float]] = {name: [] for name in sources}
    for _ in range(args.runs):
        for name, src in sources.items():
            loads[name].append(load_seconds(src or None))
            runs[name].append(run_seconds(corpus, src or None))
    for name in sources:
        load, run = loads[name], runs[name]
        print(
            f"{name:10} load median {statistics.median(load):.3f} s (min {min(load):.3f})  "
            f"run median {statistics.median(run):.2f} s (min {min(run):.2f})  runs {args.runs}"
        )


if __name__ == "__main__":
    main()
