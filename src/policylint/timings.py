"""Where a run's time goes: reading, parsing, spaCy, and each rule family (``--timings``).

Time is *exclusive*: while a rule waits for spaCy to tokenise the document (which happens on the
first rule that asks), the seconds go to ``nlp``, not to the rule. So the rows add up to the time
spent checking, and a slow rule family shows as itself rather than as whichever family happened
to run first. The clock is ``time.perf_counter``; the overhead is two calls per rule per file.

Each process keeps its own :data:`TIMINGS`; worker processes send theirs back with each result
and the parent adds them up (so in a parallel run the total is CPU seconds over all workers,
which can exceed the wall time).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

#: Phases that are not rules, in the order a file goes through them.
PHASES = ("warm-up", "read", "parse", "classify", "nlp")
#: Looking results up in the cache (hashing files, reading entries) is shown first when present.


class Timings:
    """Exclusive seconds per label, with a stack so nested labels are not counted twice."""

    __slots__ = ("_stack", "seconds")

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[float]] = []  # [start, seconds spent in nested labels]

    @contextmanager
    def timed(self, label: str) -> Iterator[None]:
        frame = [time.perf_counter(), 0.0]
        self._stack.append(frame)
        try:
            yield
        finally:
            self._stack.pop()
            spent = time.perf_counter() - frame[0]
            self.seconds[label] = self.seconds.get(label, 0.0) + spent - frame[1]
            if self._stack:
                self._stack[-1][1] += spent

    def take(self) -> dict[str, float]:
        """The seconds recorded since the last ``take``, and start afresh."""
        taken, self.seconds = self.seconds, {}
        return taken

    def since(self, before: Mapping[str, float]) -> dict[str, float]:
        """The seconds recorded since ``before`` (a copy of :attr:`seconds`), by label: what a
        worker or the warm-up helper sends back with each result."""
        grown = {label: value - before.get(label, 0.0) for label, value in self.seconds.items()}
        return {label: value for label, value in grown.items() if value > 0}

    def add(self, other: Mapping[str, float]) -> None:
        for label, seconds in other.items():
            self.seconds[label] = self.seconds.get(label, 0.0) + seconds


#: This process's timings.
TIMINGS = Timings()


def rule_label(rule_id: str) -> str:
    """The label a rule's time is recorded under: its id (families are summed when shown)."""
    return f"rule:{rule_id}"


def by_family(seconds: Mapping[str, float]) -> dict[str, float]:
    """Phases as they are, rules summed per family (the part of the id before the first dot)."""
    out: dict[str, float] = {}
    for label, value in seconds.items():
        key = label.removeprefix("rule:").split(".", 1)[0] if label.startswith("rule:") else label
        out[key] = out.get(key, 0.0) + value
    return out


def slowest_rules(seconds: Mapping[str, float], count: int = 5) -> list[tuple[str, float]]:
    rules = [
        (label.removeprefix("rule:"), value) for label, value in seconds.items() if label.startswith("rule:")
    ]
    return sorted(rules, key=lambda item: (-item[1], item[0]))[:count]


def render(
    seconds: Mapping[str, float],
    *,
    files: int,
    from_cache: int,
    wall: float,
    jobs: int,
    patterns: int | None = None,
    report: float | None = None,
) -> str:
    """The ``--timings`` table: phases, then rule families slowest first, then the slowest rules,
    then (``patterns``, when the cache is on) how many compiled regular expressions were read
    from the user cache instead of being compiled (regex_cache), then (``report``) the seconds
    spent building and writing the report after the checks, which the table's total leaves out
    (on a rerun from the cache with many findings it can be most of the run)."""
    families = by_family(seconds)
    total = sum(families.values()) or 1e-9
    phases = [(label, families.pop(label)) for label in ("cache", *PHASES) if label in families]
    rules = sorted(families.items(), key=lambda item: (-item[1], item[0]))
    width = max([len(label) for label, _ in phases + rules] + [len("rule family / phase")])
    how = "CPU seconds over all worker processes" if jobs > 1 else "seconds"
    lines = [
        f"timings: {files} files ({from_cache} from the cache), {wall:.2f} s wall, "
        f"{jobs} job{'s' if jobs != 1 else ''}; {how}",
        f"  {'rule family / phase':<{width}}  {'seconds':>8}  {'share':>6}",
    ]
    for label, value in phases + rules:
        lines.append(f"  {label:<{width}}  {value:>8.3f}  {value / total:>6.1%}")
    lines.append(f"  {'total':<{width}}  {total:>8.3f}")
    slow = slowest_rules(seconds)
    if slow:
        lines.append("  slowest rules: " + ", ".join(f"{rule} {value:.3f}" for rule, value in slow))
    if report is not None:
        lines.append(
            f"  {'report':<{width}}  {report:>8.3f}  (building and writing the output, after the checks)"
        )
    if patterns is not None:
        lines.append(f"  regular expressions read from the user cache: {patterns}")
    return "\n".join(lines)
