"""Speed of ``policylint diff``: a pair of 10,000-word versions, cold, and a whole 25-version history.

Usage (from the repository, with ../shared beside it or $POLICYLINT_SHARED set)::

    python bench/diff_bench.py [--runs 3]

* **pair, cold**: ``policylint diff OLD NEW --format json`` in a fresh process (interpreter start,
  imports, packs, both versions parsed, compared and linted with the default ``--lint text``), on
  two real consecutive versions of LinkedIn's privacy policy (2025-06-10 → 2025-08-01 in the
  archive), each padded to 10,000 words with the same 10-word text appended to both, so the change
  itself stays real. Wall time; the best of ``--runs``.
* **history**: every consecutive pair of Reddit's privacy policy (25 versions, 24 diffs) in one
  process: ``policylint diff`` through the library, as a pre-commit hook or CI job reviewing a long
  history would run it. Wall time of the whole loop, the best of ``--runs``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("POLICYLINT_SHARED", ROOT.parent / "shared")) / "platforms"
WORDS = 10_000
PAD = "\n\nThis paragraph pads the policy for the benchmark only, nothing more.\n"


def _history(document: str) -> list[Path]:
    manifest = json.loads((SHARED / "manifest.json").read_text(encoding="utf-8"))
    entry = next(h for h in manifest["histories"] if h["document"] == document)
    return [SHARED / entry["folder"] / v["file"] for v in entry["versions"]]


def _padded(text: str) -> str:
    while len(text.split()) < WORDS:
        text += PAD
    return text


def pair_cold(runs: int) -> tuple[float, int]:
    versions = _history("LinkedIn/Privacy Policy")
    old, new = (p for p in versions if p.name.startswith(("2025-06-10", "2025-08-01")))
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, source in (("old.md", old), ("new.md", new)):
            path = Path(tmp) / name
            path.write_text(_padded(source.read_text(encoding="utf-8")), encoding="utf-8")
            paths.append(path)
        words = len(paths[1].read_text(encoding="utf-8").split())
        command = [
            sys.executable,
            "-m",
            "policylint",
            "diff",
            str(paths[0]),
            str(paths[1]),
            "--format",
            "json",
        ]
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(command, capture_output=True, check=False, cwd=tmp)
            best = min(best, time.perf_counter() - started)
    return best, words


def history(runs: int) -> tuple[float, int]:
    from policylint import diff_paths

    versions = _history("Reddit/Privacy Policy")
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for old, new in itertools.pairwise(versions):
            diff_paths(old, new, {"today": "2026-12-06"})
        best = min(best, time.perf_counter() - started)
    return best, len(versions)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not (SHARED / "manifest.json").is_file():
        print(f"shared platform histories not found at {SHARED}", file=sys.stderr)
        return 2
    seconds, words = pair_cold(args.runs)
    print(f"pair of {words:,}-word versions, cold (fresh process): {seconds:.2f} s (target <= 1.5 s)")
    seconds, count = history(args.runs)
    print(f"whole history, {count} versions ({count - 1} diffs): {seconds:.2f} s (target <= 15 s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
