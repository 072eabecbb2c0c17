"""Time what the choice of regular-expression engine can change: loading the packs, and a run.

    python bench/regex_engine.py [--corpus ../shared/corpus] [--runs 5]

``load``: a fresh process loads every pack and builds every rule for every language (this is
where pack patterns are compiled and, before RE2, analysed), with the regex cache off.
``run``: ``policylint check CORPUS --format json --no-cache`` end to end. Both are medians of
``--runs`` fresh processes, in seconds; compare only numbers taken in the same session.
"""

from __future__ import annotations

import argparse
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


def load_seconds() -> float:
    """Seconds one fresh process takes to import, load the packs and build every rule."""
    out = subprocess.run([sys.executable, "-c", LOAD], check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def run_seconds(corpus: Path) -> float:
    """Wall seconds of one full check of ``corpus`` (findings are discarded)."""
    command = [sys.executable, "-m", "policylint", "check", str(corpus), "--format", "json", "--no-cache"]
    command += ["--today", "2026-12-06"]
    started = time.perf_counter()
    subprocess.run(command, capture_output=True, cwd=ROOT)  # exit 1 = findings: not a failure
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("../shared/corpus"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    loads = [load_seconds() for _ in range(args.runs)]
    runs = [run_seconds(args.corpus) for _ in range(args.runs)]
    print(f"load  median {statistics.median(loads):.3f} s  (min {min(loads):.3f}, runs {args.runs})")
    print(f"run   median {statistics.median(runs):.2f} s  (min {min(runs):.2f}, runs {args.runs})")


if __name__ == "__main__":
    main()
