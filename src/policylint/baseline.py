"""Baselines: adopt policylint in a repository that already has hundreds of findings.

``check --write-baseline FILE`` records today's findings by identity (rule, path, section and
matched words; see :mod:`policylint.fingerprint`), never by line number, so edits that move text
around do not resurrect them. ``check --baseline FILE`` then reports only findings that are new:
for each identity, as many findings as the baseline recorded are considered known.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ._version import __version__
from .atomic import write_text_atomically
from .errors import ConfigError
from .findings import Finding
from .fingerprint import identity
from .replay import note_file

BASELINE_VERSION = 1


def write_baseline(findings: list[Finding], path: Path) -> int:
    """Record the findings' identities (atomically); returns how many were recorded."""
    counts = Counter(identity(f) for f in findings if not f.rule.startswith(("internal.", "io.")))
    data = {
        "baseline_version": BASELINE_VERSION,
        "tool": {"name": "policylint", "version": __version__},
        "findings": dict(sorted(counts.items())),
    }
    write_text_atomically(path, json.dumps(data, indent=1) + "\n")
    return sum(counts.values())


def load_baseline(path: Path) -> Counter[str]:
    note_file(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: baseline file not found (create it with --write-baseline {path})"
        ) from None
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path}: not a policylint baseline ({exc}); recreate it with --write-baseline"
        ) from None
    if not isinstance(data, dict) or data.get("baseline_version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: unsupported baseline format; recreate it with --write-baseline")
    findings = data.get("findings", {})
    if not isinstance(findings, dict) or not all(isinstance(v, int) for v in findings.values()):
        raise ConfigError(
            f"{path}: `findings` must map identities to counts; recreate it with --write-baseline"
        )
    return Counter(findings)


def filter_new(findings: list[Finding], known: Counter[str]) -> tuple[list[Finding], int]:
    """Findings not covered by the baseline (in order), and how many were covered."""
    remaining = Counter(known)
    new: list[Finding] = []
    covered = 0
    for finding in findings:
        key = identity(finding)
        if remaining[key] > 0 and not finding.rule.startswith(("internal.", "io.")):
            remaining[key] -= 1
            covered += 1
        else:
            new.append(finding)
    return new, covered
