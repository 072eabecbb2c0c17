"""Time a large text report: a rerun from the cache after editing one file of 400.

    python bench/text_report.py [--files 400] [--paragraphs 40] [--runs 3]

Writes a folder of generated policies full of jargon (about 630 findings a file), checks it once
to fill a cache, then for each run appends a line to one file and checks the folder again with
``--format text --timings``: once into a file (plain text, as in a pipe or CI log) and once with
``--color always`` (what a terminal gets). Prints the wall seconds of each rerun and the
``report`` line of ``--timings`` (building and writing the report; absent before it existed).
CPU seconds (user + system of the child) are printed too: on a shared machine they are steadier.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "The Company shall endeavour to furnish assistance prior to the commencement of services, and "
    "shall ascertain, pursuant to the provisions herein, whether the customer is in receipt of goods. "
    "We will reply promptly and in due course, notwithstanding the foregoing.\n\n"
)


def make_folder(folder: Path, files: int, paragraphs: int) -> None:
    head = (ROOT / "examples" / "needs-work" / "service-policy.md").read_text(encoding="utf-8")
    for index in range(files):
        body = f"{head}\n## Terms {index}\n\n" + PARAGRAPH * paragraphs
        (folder / f"policy-{index:03d}.md").write_text(body, encoding="utf-8")


def _check(folder: Path, cache: Path, fmt: str, out: Path) -> list[str]:
    """The check command both runs use: the folder, with its cache, into ``out``."""
    return [
        sys.executable, "-m", "policylint.cli", "check", str(folder), "--cache-dir", str(cache),
        "--today", "2026-12-06", "--format", fmt, "-o", str(out),
    ]  # fmt: skip


def rerun(folder: Path, cache: Path, extra: list[str], out: Path) -> tuple[float, float, str]:
    """One rerun after an edit: wall seconds, child CPU seconds, and the --timings report line."""
    with (folder / "policy-000.md").open("a", encoding="utf-8") as handle:
        handle.write("\nEdited.\n")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [*_check(folder, cache, "text", out), "--timings", *extra],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": ""},
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    found = re.search(r"^\s*report\s+([\d.]+)", result.stderr, re.MULTILINE)
    return wall, cpu, found.group(1) if found else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400)
    parser.add_argument("--paragraphs", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "policies", Path(tmp) / "cache"
        folder.mkdir()
        make_folder(folder, args.files, args.paragraphs)
        subprocess.run(_check(folder, cache, "json", Path(tmp) / "first.json"), check=False)
        for label, extra in (("plain text", []), ("--color always", ["--color", "always"])):
            runs = [rerun(folder, cache, extra, Path(tmp) / "report.txt") for _ in range(args.runs)]
            lines = sum(1 for _ in (Path(tmp) / "report.txt").open(encoding="utf-8"))
            print(
                f"{label}: rerun wall {statistics.median(r[0] for r in runs):.2f} s, "
                f"CPU {statistics.median(r[1] for r in runs):.2f} s, "
                f"report line {', '.join(r[2] for r in runs)} s; {lines} lines of report"
            )


if __name__ == "__main__":
    main()
