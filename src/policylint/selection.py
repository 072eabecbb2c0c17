"""Which rules run, at which severity: ``select``/``ignore`` patterns and severity overrides.

A pattern is a rule id (``jargon.legalese``), a family or prefix (``jargon``, ``jargon.*``) or
``ALL``. A pattern that names no known rule is an error: a misspelt ``ignore`` would otherwise
silently keep a rule on in CI.
"""

from __future__ import annotations

from collections.abc import Iterable

from .config import Config, did_you_mean
from .errors import ConfigError
from .findings import Severity
from .packs import RuleSpec


def matches(pattern: str, rule_id: str) -> bool:
    pattern = pattern.strip()
    if pattern in ("ALL", "*"):
        return True
    if pattern.endswith(".*"):
        pattern = pattern[:-2]
    return rule_id == pattern or rule_id.startswith(pattern + ".")


def _specificity(pattern: str) -> int:
    return 0 if pattern in ("ALL", "*") else len(pattern.rstrip("*").rstrip("."))


def check_patterns(where: str, key: str, patterns: Iterable[str], rule_ids: Iterable[str]) -> None:
    """Raise ConfigError for the first pattern under ``key`` that matches no rule, suggesting the
    rule ids and families closest to it (difflib), else listing the families."""
    ids = list(rule_ids)
    families = sorted({rid.split(".")[0] for rid in ids})
    for pattern in patterns:
        if not any(matches(pattern, rid) for rid in ids):
            hint = did_you_mean(pattern.strip().removesuffix(".*"), [*ids, *families])
            rest = (
                " (`policylint rules` lists every rule)"
                if hint
                else f"; use a rule id (see `policylint rules`) or a family: {', '.join(families)}"
            )
            raise ConfigError(f"{where}`{key}` names {pattern!r}, which matches no rule{rest}.{hint}")


def validate_patterns(config: Config, rule_ids: Iterable[str]) -> None:
    ids = list(rule_ids)
    where = f"{config.source}: " if config.source else ""
    lists: dict[str, Iterable[str]] = {
        "select": config.select or [],
        "extend_select": config.extend_select,
        "ignore": config.ignore,
        "severity": config.severity.keys(),
        "params": config.params.keys(),
    }
    for glob, rules in config.per_file_ignores.items():
        lists[f"per_file_ignores.{glob!r}"] = rules
    for key, patterns in lists.items():
        check_patterns(where, key, patterns, ids)


def is_selected(spec: RuleSpec, config: Config) -> bool:
    """Whether a rule runs under ``config``; the most specific matching pattern decides."""
    chosen = (config.select if config.select is not None else ["ALL"]) + config.extend_select
    best_select = max((_specificity(p) for p in chosen if matches(p, spec.id)), default=-1)
    if best_select < 0:
        return False
    if not spec.enabled and best_select < len(spec.id):
        return False  # opt-in rules run only when named exactly
    best_ignore = max((_specificity(p) for p in config.ignore if matches(p, spec.id)), default=-1)
    return best_ignore < best_select or best_ignore < 0


def severity_for(spec: RuleSpec, config: Config) -> Severity:
    """The rule's severity after the most specific override in ``config.severity``."""
    best: tuple[int, Severity] | None = None
    for pattern, severity in config.severity.items():
        if matches(pattern, spec.id):
            spec_len = _specificity(pattern)
            if best is None or spec_len > best[0]:
                best = (spec_len, severity)
    return best[1] if best else spec.severity
