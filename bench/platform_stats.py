"""Findings per 1,000 words and the profile table on ../shared/platforms (and the corpus).

    python bench/platform_stats.py [--markdown] [--today 2026-12-06]

Why: the breadth test of issue 16. A linter people keep in CI must not bury a document in
findings: errors and warnings per 1,000 words is the noise a reader pays for, and the profile each
document gets (with its source) shows whether it is held to the right list of required parts.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--today", default="2026-12-06")
    args = parser.parse_args(argv)
    from policylint import check_paths

    for name in ("platforms", "corpus"):
        folder = SHARED / name / "docs"
        if not folder.is_dir():
            print(f"{folder} not found", file=sys.stderr)
            return 2
        report = check_paths([str(folder)], {"today": args.today})
        words = sum(f.words for f in report.files)
        counts = Counter(f.severity.value for f in report.findings)
        per_rule = Counter((f.rule, f.severity.value) for f in report.findings if f.severity.value != "info")
        loud = counts["error"] + counts["warning"]
        print(
            f"\n{name}: {len(report.files)} files, {words:,} words: {counts['error']} errors, "
            f"{counts['warning']} warnings, {counts['info']} info; "
            f"{loud / words * 1000:.2f} errors+warnings per 1,000 words"
        )
        if args.markdown:
            print("\n| rule | severity | findings |\n|---|---|---|")
        for (rule, severity), count in sorted(per_rule.items(), key=lambda kv: -kv[1]):
            print(
                f"| `{rule}` | {severity} | {count} |"
                if args.markdown
                else f"  {rule:40} {severity:8} {count}"
            )
        if name == "platforms":
            if args.markdown:
                print("\n| document | profile | source |\n|---|---|---|")
            for file in report.files:
                doc = file.path.split("docs/", 1)[-1]
                line = (
                    f"| {doc} | `{file.profile}` | {file.profile_source} |"
                    if args.markdown
                    else (f"  {doc:48} {file.profile!s:24} {file.profile_source}")
                )
                print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
