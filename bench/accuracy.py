"""Measure policylint's accuracy on the hand-labelled shared corpus.

    python bench/accuracy.py [CORPUS_DIR] [--sample N] [--seed S] [--markdown]

Prints (1) section-kind agreement with labels.json per (document, kind) pair, (2) effective-date
agreement per document, and (3) a reproducible random sample of findings with the hand judgement
recorded for each in bench/accuracy_judgements.json (key: path|rule|line|column), and the
precision over the judged sample. The judgements are ours, made by reading each finding in its
document; docs/accuracy.md records the latest run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from policylint import check_paths
from policylint.classify import kinds_present
from policylint.config import Config
from policylint.dates import effective_dates, find_dates
from policylint.engine import analyse
from policylint.findings import Finding
from policylint.parsers import format_for_path, parse
from policylint.reader import read_file

HERE = Path(__file__).resolve().parent
JUDGEMENTS = HERE / "accuracy_judgements.json"
TODAY = dt.date(2026, 11, 23)


def _document(corpus: Path, local: str) -> Any:
    path = corpus / local
    source = read_file(path, 50_000_000)
    return parse(source.text, format_for_path(str(path)) or "text", str(path))


def section_agreement(
    corpus: Path, labels: dict[str, Any], manifest: dict[str, Any]
) -> tuple[int, int, list[str]]:
    agree = total = 0
    misses: list[str] = []
    for doc_id, label in sorted(labels["docs"].items()):
        document = _document(corpus, manifest[doc_id]["local"])
        pack, _ = analyse(document, Config())
        present = kinds_present(document, pack)
        for kind, expected in sorted(label["kinds"].items()):
            got = kind in present
            total += 1
            if got == expected:
                agree += 1
            else:
                misses.append(f"{doc_id}: {kind} labelled {expected}, detected {got}")
    return agree, total, misses


def date_agreement(
    corpus: Path, labels: dict[str, Any], manifest: dict[str, Any]
) -> tuple[int, int, list[str]]:
    agree = total = 0
    misses: list[str] = []
    for doc_id, label in sorted(labels["docs"].items()):
        document = _document(corpus, manifest[doc_id]["local"])
        pack, _ = analyse(document, Config())
        found = effective_dates(document, pack.dates)
        got = found[0].date if found else None
        expected = None
        if label["date"]:
            mentions = find_dates(label["date"], pack.dates)
            expected = mentions[0].date if mentions else None
        total += 1
        if got == expected:
            agree += 1
        else:
            misses.append(f"{doc_id}: date labelled {label['date']!r}, detected {got}")
    return agree, total, misses


def finding_key(finding: Finding, corpus: Path) -> str:
    rel = Path(finding.path).resolve().relative_to(corpus.resolve()).as_posix()
    return f"{rel}|{finding.rule}|{finding.line}|{finding.column}"


def excerpt(finding: Finding) -> str:
    try:
        lines = Path(finding.path).read_text(encoding="utf-8", errors="replace").splitlines()
        line = lines[finding.line - 1]
    except (OSError, IndexError):
        return ""
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    start = finding.column - 1
    return (line[max(0, start - 40) : start] + "[" + line[start:end] + "]" + line[end : end + 40]).strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=HERE.parents[1] / "shared" / "corpus")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--markdown", action="store_true", help="print the sample as a Markdown table")
    args = parser.parse_args(argv)
    corpus: Path = args.corpus
    if not (corpus / "labels.json").is_file():
        print(f"no labelled corpus at {corpus}", file=sys.stderr)
        return 2
    labels = json.loads((corpus / "labels.json").read_text(encoding="utf-8"))
    manifest = {d["id"]: d for d in json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))}

    agree, total, misses = section_agreement(corpus, labels, manifest)
    print(f"section kinds: {agree}/{total} (document, kind) pairs agree = {100 * agree / total:.1f}%")
    for miss in misses:
        print(f"  - {miss}")
    agree, total, misses = date_agreement(corpus, labels, manifest)
    print(f"effective dates: {agree}/{total} documents agree = {100 * agree / total:.1f}%")
    for miss in misses:
        print(f"  - {miss}")

    report = check_paths([corpus / "docs"], Config(today=TODAY))
    findings = [f for f in report.findings if not f.rule.startswith(("language.", "io.", "internal."))]

    # A sample by hash of each finding's key, not by list position: adding or removing unrelated
    # findings does not reshuffle it, so recorded judgements stay attached to the same findings.
    def rank(finding: Finding) -> str:
        return hashlib.sha256(f"{args.seed}|{finding_key(finding, corpus)}".encode()).hexdigest()

    sample = sorted(findings, key=rank)[: args.sample]
    judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8")) if JUDGEMENTS.is_file() else {}
    true_positive = judged_count = 0
    print(
        f"\nfindings on the corpus: {len(findings)}; sample of {len(sample)} by key hash (seed {args.seed}):"
    )
    if args.markdown:
        print("\n| # | rule | where | text | verdict | note |\n|---|---|---|---|---|---|")
    for index, finding in enumerate(sample, 1):
        key = finding_key(finding, corpus)
        verdict = judged.get(key, {})
        if verdict:
            judged_count += 1
            true_positive += verdict.get("verdict") == "true"
        where = f"{Path(finding.path).name}:{finding.line}"
        text = excerpt(finding).replace("|", "\\|")
        if args.markdown:
            print(
                f"| {index} | `{finding.rule}` | {where} | {text[:90]} | {verdict.get('verdict', '?')} | "
                f"{verdict.get('note', '')} |"
            )
        else:
            print(
                f"{index:3d}. {key}\n     {finding.message}\n     {text}\n     -> {verdict or 'NOT JUDGED'}"
            )
    if judged_count:
        print(
            f"\nprecision on the judged sample: {true_positive}/{judged_count} = {100 * true_positive / judged_count:.0f}%"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
