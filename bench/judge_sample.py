"""Draw a stratified sample of error and warning findings for judging by hand, and score it.

    python bench/judge_sample.py draw OUT.json [--seed S] [--per-rule 8] [--exclude OLD.json ...]
    python bench/judge_sample.py score JUDGED.json [--markdown]

Why: a precision figure measured on documents the rules were tuned on is not evidence. This script
draws error and warning findings from ``../shared/corpus`` and ``../shared/platforms`` (every rule
id, at most ``--per-rule`` each, fixed seed) and writes each with the lines around it, so a person
can judge it in context as a compliance editor would: ``TP``, ``FP`` or ``debatable``, with one
line of reason. ``--exclude`` leaves out findings already judged in an earlier sample, so that a
sample drawn after a change is fresh. ``score`` prints precision per rule and per severity.

The judgements are data (``bench/judged/*.json``); docs/accuracy.md quotes the scores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
SOURCES = (SHARED / "corpus" / "docs", SHARED / "platforms" / "docs")
TODAY = "2026-12-06"
CONTEXT_LINES = 3


def _key(finding: dict[str, Any]) -> str:
    """Path below shared/, rule, line, column and a digest of the message: one rule may report
    two findings at one place (a regulation's missing elements), and each is judged apart."""
    path = finding["path"].split("shared/", 1)[-1]
    digest = hashlib.sha1(finding["message"].encode("utf-8")).hexdigest()[:6]
    return f"{path}|{finding['rule']}|{finding['line']}|{finding['column']}|{digest}"


def _context(path: str, line: int) -> str:
    lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    start = max(0, line - 1 - CONTEXT_LINES)
    end = min(len(lines), line + CONTEXT_LINES)
    return "\n".join(f"{n + 1:>5}{'>' if n + 1 == line else ' '} {lines[n][:400]}" for n in range(start, end))


def _findings() -> tuple[list[dict[str, Any]], dict[str, str]]:
    from policylint import check_paths

    report = check_paths([str(s) for s in SOURCES], {"today": TODAY})
    profiles = {f.path: f"{f.profile} ({getattr(f, 'profile_source', '') or '?'})" for f in report.files}
    found = [f.model_dump(mode="json") for f in report.findings if f.severity.value in ("error", "warning")]
    return found, profiles


def draw(out: Path, seed: int, per_rule: int, exclude: list[Path]) -> int:
    judged: set[str] = set()
    for old in exclude:
        judged.update(entry["key"] for entry in json.loads(old.read_text(encoding="utf-8"))["items"])
    findings, profiles = _findings()
    by_rule: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in findings:
        if _key(finding) not in judged:
            by_rule[finding["rule"]].append(finding)
    rng = random.Random(seed)
    items = []
    for rule in sorted(by_rule):
        pool = sorted(by_rule[rule], key=_key)
        for finding in rng.sample(pool, min(per_rule, len(pool))):
            items.append(
                {
                    "key": _key(finding),
                    "rule": rule,
                    "severity": finding["severity"],
                    "message": finding["message"],
                    "suggestion": finding.get("suggestion"),
                    "profile": profiles.get(finding["path"], "?"),
                    "context": _context(finding["path"], finding["line"]),
                    "verdict": None,
                    "reason": None,
                }
            )
    payload = {
        "drawn": dt.date.today().isoformat(),
        "seed": seed,
        "per_rule": per_rule,
        "today": TODAY,
        "population": {rule: len(pool) for rule, pool in sorted(by_rule.items())},
        "items": items,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(items)} findings of {len(by_rule)} rules written to {out}")
    return 0


def score(judged: Path, markdown: bool) -> int:
    data = json.loads(judged.read_text(encoding="utf-8"))
    rows: dict[str, dict[str, int]] = defaultdict(lambda: {"TP": 0, "FP": 0, "debatable": 0})
    by_severity: dict[str, dict[str, int]] = defaultdict(lambda: {"TP": 0, "FP": 0, "debatable": 0})
    unjudged = 0
    for item in data["items"]:
        verdict = item.get("verdict")
        if verdict not in ("TP", "FP", "debatable"):
            unjudged += 1
            continue
        rows[item["rule"]][verdict] += 1
        by_severity[item["severity"]][verdict] += 1
        by_severity["all"][verdict] += 1

    def line(name: str, counts: dict[str, int]) -> str:
        total = sum(counts.values())
        precision = counts["TP"] / total if total else 0.0
        if markdown:
            return f"| {name} | {total} | {counts['TP']} | {counts['debatable']} | {counts['FP']} | {precision:.0%} |"
        return f"{name:40} judged {total:>3}  TP {counts['TP']:>3}  debatable {counts['debatable']:>3}  FP {counts['FP']:>3}  precision {precision:.0%}"

    if markdown:
        print("| rule | judged | right | debatable | wrong | precision |\n|---|---|---|---|---|---|")
    for rule in sorted(rows):
        print(line(rule, rows[rule]))
    for severity in ("error", "warning", "all"):
        if severity in by_severity:
            print(line(f"**{severity}**" if markdown else f"[{severity}]", by_severity[severity]))
    if unjudged:
        print(f"{unjudged} items not judged yet", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("draw")
    d.add_argument("out", type=Path)
    d.add_argument("--seed", type=int, default=20261206)
    d.add_argument("--per-rule", type=int, default=8)
    d.add_argument("--exclude", type=Path, action="append", default=[])
    s = sub.add_parser("score")
    s.add_argument("judged", type=Path)
    s.add_argument("--markdown", action="store_true")
    args = parser.parse_args(argv)
    if not all(source.is_dir() for source in SOURCES):
        print(f"needs {SOURCES[0]} and {SOURCES[1]}", file=sys.stderr)
        return 2
    if args.command == "draw":
        return draw(args.out, args.seed, args.per_rule, args.exclude)
    return score(args.judged, args.markdown)


if __name__ == "__main__":
    sys.exit(main())
