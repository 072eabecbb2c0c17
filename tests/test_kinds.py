"""Built-in rule kinds register themselves by their class's ``kind``: one name, from one place."""

from __future__ import annotations

import subprocess
import sys
import types
import warnings

import pytest

from policylint.checks import BUILTIN_KIND_MODULES, builtin_kinds, kind_class, kinds_in
from policylint.checks.base import RuleKind
from policylint.errors import RulePackError
from policylint.packs import load_catalog


def _module(name: str, **classes: type) -> types.ModuleType:
    module = types.ModuleType(name)
    for attr, cls in classes.items():
        cls.__module__ = name
        setattr(module, attr, cls)
    return module


def test_a_kind_is_registered_under_its_class_kind_and_nothing_else() -> None:
    base = type("SharedBase", (RuleKind,), {})  # no kind of its own: a base, not a kind
    one = type("One", (base,), {"kind": "one"})
    inherited = type("OneAgain", (one,), {})  # inherits "one": not a second registration
    module = _module("fake_kinds", SharedBase=base, One=one, OneAgain=inherited, Alias=one)
    module.Imported = RuleKind  # defined elsewhere: not this module's
    assert kinds_in(module) == {"one": one}


def test_two_classes_claiming_one_kind_are_refused() -> None:
    first = type("First", (RuleKind,), {"kind": "twice"})
    second = type("Second", (RuleKind,), {"kind": "twice"})
    with pytest.raises(RulePackError, match="'twice' is claimed by both First and Second"):
        kinds_in(_module("fake_twice", First=first, Second=second))


def test_every_kind_the_built_in_packs_use_resolves_to_a_class_of_that_kind() -> None:
    table = builtin_kinds()
    for spec in load_catalog().rules.values():
        assert table[spec.kind].kind == spec.kind
        assert kind_class(spec.kind) is table[spec.kind]
    # every module listed defines at least one kind: a stale entry would only cost imports
    assert all(any(cls.__module__ == m for cls in table.values()) for m in BUILTIN_KIND_MODULES)


def test_an_unknown_kind_names_the_known_ones() -> None:
    with pytest.raises(RulePackError, match=r"unknown rule kind 'nonesuch'; known kinds: .*substitution"):
        kind_class("nonesuch", "my-pack.toml")


def test_the_old_table_is_a_deprecated_alias_derived_from_the_classes() -> None:
    import policylint.checks as checks

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = checks.BUILTIN_KINDS
    assert any(issubclass(w.category, DeprecationWarning) for w in caught)
    assert table["substitution"] == "policylint.checks.words:Substitution"
    assert set(table) == set(builtin_kinds())


def test_a_check_never_imports_the_change_review_package() -> None:
    """Kind modules are imported in order until the name is found: a check's kinds come before
    changes/, which only ``policylint diff`` needs."""
    script = (
        "import sys; from policylint import check_text; "
        "check_text('# Returns\\n\\nReturn within 30 days. Contact support@example.com.\\n'); "
        "print('policylint.changes' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "False", done.stderr
