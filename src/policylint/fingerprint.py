"""Stable identities for findings: what SARIF, GitLab and baselines use to recognise "the same
finding" after unrelated edits.

The identity covers the rule, the POSIX path, the section title and the message with whitespace
collapsed and digit runs masked. The message already quotes the matched words for every text-level
rule, while numbers in it (a sentence's word count, a grade, a policy's age in months) change with
unrelated edits. Line and column are deliberately left out, so an edit that shifts lines does not
make an old finding new.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from .findings import Finding

_DIGITS = re.compile(r"\d+")


def posix_path(path: str) -> str:
    """The path with forward slashes and without a leading ``./``, as CI systems expect."""
    return str(PurePosixPath(path.replace("\\", "/")))


def identity_key(finding: Finding) -> str:
    message = _DIGITS.sub("#", " ".join(finding.message.split()))
    return "\x1f".join((finding.rule, posix_path(finding.path), finding.section or "", message))


def identity(finding: Finding) -> str:
    """The finding's identity (equal for repeated findings of the same words in one section)."""
    return hashlib.sha256(identity_key(finding).encode("utf-8")).hexdigest()


def fingerprints(findings: Iterable[Finding]) -> list[str]:
    """A stable, unique fingerprint per finding, in order: repeated identities get an occurrence
    counter in document order, because SARIF consumers and GitLab treat equal fingerprints as one."""
    seen: dict[str, int] = {}
    result: list[str] = []
    for finding in findings:
        key = identity_key(finding)
        occurrence = seen.get(key, 0)
        seen[key] = occurrence + 1
        if occurrence:
            key = f"{key}\x1f{occurrence}"
        result.append(hashlib.sha256(key.encode("utf-8")).hexdigest())
    return result
