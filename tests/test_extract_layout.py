"""Extraction apart from judgement: the extractors live in policylint.extract, below the rules.

Plugins imported the extractors from ``policylint.checks.contact`` and
``policylint.checks.consistency`` before they moved; those names stay there as deprecated aliases
for one release, and must be the very objects of the new modules (a copy would drift).
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import policylint

SRC = Path(policylint.__file__).parent

#: Deprecated alias -> the module it now lives in.
ALIASES = {
    "policylint.checks.contact": {
        "CONCRETE_KINDS": "policylint.extract.channel_text",
        "REACH_KINDS": "policylint.extract.channel_text",
        "ChannelKind": "policylint.extract.channel_text",
        "ChannelVocabulary": "policylint.extract.channel_text",
        "TextChannel": "policylint.extract.channel_text",
        "find_channels": "policylint.extract.channel_text",
        "Channel": "policylint.extract.channels",
        "channels_in": "policylint.extract.channels",
        "extract_channels": "policylint.extract.channels",
        "extract_emails": "policylint.extract.channels",
        "Period": "policylint.extract.periods",
        "PeriodVocabulary": "policylint.extract.periods",
        "find_periods": "policylint.extract.periods",
        "phrase_pattern": "policylint.extract.phrases",
        "sentence_at": "policylint.extract.phrases",
        "sentence_spans": "policylint.extract.phrases",
        "is_document_title": "policylint.classify",
    },
    "policylint.checks.consistency": {
        "Commitment": "policylint.extract.commitments",
        "find_commitments": "policylint.extract.commitments",
    },
}


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [(old, name, new) for old, names in ALIASES.items() for name, new in names.items()],
)
def test_deprecated_alias_still_imports(old: str, name: str, new: str) -> None:
    module = importlib.import_module(old)
    assert name in module.__all__
    assert getattr(module, name) is getattr(importlib.import_module(new), name)


def _imported_modules(path: Path) -> set[str]:
    """Absolute names of the policylint modules ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(SRC.parent).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_extractors_do_not_import_the_rules() -> None:
    """The extractors sit below the rule kinds: what a policy states, not what is wrong with it."""
    for path in sorted((SRC / "extract").glob("*.py")):
        rules = {m for m in _imported_modules(path) if m.startswith("policylint.checks")}
        assert not rules, f"{path.name} imports {sorted(rules)}"


def test_only_rule_kinds_import_the_contact_and_consistency_rules() -> None:
    """Change review and the other domain modules read facts from policylint.extract; the
    deprecated aliases are for plugins, not for policylint itself."""
    old = {"policylint.checks.contact", "policylint.checks.consistency"}
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "checks":
            continue
        used = _imported_modules(path) & old
        assert not used, f"{path.relative_to(SRC)} imports {sorted(used)}"
