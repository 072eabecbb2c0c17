"""Users' pack patterns on RE2 mean what they meant on ``re`` (policylint.pack_regex).

RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` know only ASCII; pack_regex rewrites them so that a
Danish or German pattern keeps matching what it matched before. These tests compare the two
engines on every code point and on real policy text.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest
import re2

from conftest import EXAMPLES
from policylint.pack_regex import SEARCH_FLAGS, PatternError, translate

ROOT = Path(__file__).resolve().parents[1]


def _re2(pattern: str, flags: int) -> re2._Regexp:
    options = re2.Options()
    options.case_sensitive = not flags & re.IGNORECASE
    options.log_errors = False
    return re2.compile(translate(pattern, flags), options)


# Every code point Python's Unicode database knows (RE2 may know a newer Unicode version).
ASSIGNED = "".join(
    chr(c)
    for c in range(sys.maxunicode + 1)
    if not 0xD800 <= c <= 0xDFFF and unicodedata.category(chr(c)) != "Cn"
)


@pytest.mark.parametrize(
    "cls", [r"\w", r"\W", r"\d", r"\D", r"\s", r"\S", r"[^\W\d]", r"[^\W\d_]", r"[\w.+-]"]
)
def test_perl_classes_match_the_same_characters_as_re(cls: str) -> None:
    assert _re2(cls, 0).findall(ASSIGNED) == re.findall(cls, ASSIGNED)


CASES = [
    (r"\bÖsterreich\b", ["in Österreich.", "inÖsterreich", "Österreichs", "Österreich"]),
    (r"(?-i:\b(?:EU|EØS)\b)", ["the EØS.", "the eu.", "EUR", "(EU)", "ØEU"]),
    (r"\bkr\.", ["50 kr.", "50kr.", "kr.", "ækr."]),
    (r"refund\w*\b", ["refunds.", "refundæ", "refund"]),
    (r"\bvilkår\w*", ["vilkårene", "xvilkår", "vilkår"]),
    (r"\Bår\b", ["vår", " år", "år"]),
    (r"days?$", ["14 days\n", "14 days\nmore", "14 day"]),
    (r"^\s*14 dage", ["x\n  14 dage", "  14 dage", "x 14 dage"]),
    (r"\u2019s\b", ["it’s", "it’sx"]),
    (r"\b(?:\d+|one)[- ]day\b", ["a 14-day trial", "a x14-day", "one day", "٣ day"]),
]


@pytest.mark.parametrize(("pattern", "texts"), CASES)
def test_boundaries_and_anchors_behave_as_in_re(pattern: str, texts: list[str]) -> None:
    for flags in (re.IGNORECASE, SEARCH_FLAGS):
        for text in texts:
            expected = re.search(pattern, text, flags) is not None
            assert (_re2(pattern, flags).search(text) is not None) == expected, (pattern, text, flags)


def _builtin_patterns() -> list[str]:
    from policylint.config import tomllib
    from policylint.packs import builtin_patterns, builtin_rules_dir

    found: set[str] = set()
    for path in builtin_rules_dir().rglob("*.toml"):
        found.update(builtin_patterns(tomllib.loads(path.read_text(encoding="utf-8"))))
    return sorted(found)


def test_built_in_patterns_re2_can_take_find_the_same_paragraphs() -> None:
    """Every built-in pattern RE2 can run says yes on exactly the paragraphs ``re`` says yes
    on, over the example policies and the test fixtures (all six languages)."""
    paragraphs = [
        part
        for folder in (EXAMPLES, ROOT / "tests" / "fixtures")
        for path in sorted(folder.rglob("*"))
        if path.suffix in (".md", ".html", ".txt")
        for part in path.read_text(encoding="utf-8", errors="replace").split("\n\n")
    ]
    assert len(paragraphs) > 100
    compared = matched = 0
    for pattern in _builtin_patterns():
        try:
            engine = _re2(pattern, SEARCH_FLAGS)
        except PatternError:
            continue  # \b between words: stays on re (test_robustness proves it safe)
        compared += 1
        python = re.compile(pattern, SEARCH_FLAGS)
        for text in paragraphs:
            expected = python.search(text) is not None
            matched += expected
            assert (engine.search(text) is not None) == expected, (pattern, text[:200])
    assert compared > 40 and matched > 50


REFUSED = [
    ("unsubscribe(?= now)", "a lookaround", "foo(?=bar) -> foobar"),
    ("(?<!not )shared", "a lookaround", "leave the condition out"),
    (r"(opt)-\1", "a backreference", "spell the repeated text out"),
    ("(?P<w>opt)-(?P=w)", "a backreference", "spell the repeated text out"),
    ("(a)?(?(1)b|c)", "a conditional group", "write the alternatives out"),
    ("(?>a+)b", "an atomic group", "RE2 never backtracks"),
    ("a++b", "possessive repeat", "a++ -> a+"),
    (r"refund\w*\b\s+within", r"\b or \B inside the pattern", "only ASCII letters"),
    (r"\b€", r"\b or \B inside the pattern", "next to a letter"),
    (r"[\W_]+", r"\W or \S inside [...]", r"[^\p{L}\p{N}]"),
]


@pytest.mark.parametrize(("pattern", "construct", "advice"), REFUSED)
def test_what_re2_cannot_run_is_refused_with_a_rewrite(pattern: str, construct: str, advice: str) -> None:
    with pytest.raises(PatternError) as caught:
        translate(pattern, SEARCH_FLAGS)
    message = str(caught.value)
    assert repr(pattern) in message and construct in message and advice in message


def test_refusal_through_the_cli_names_file_key_construct_and_rewrite(tmp_path: Path) -> None:
    from policylint.cli import main

    (tmp_path / "pack.toml").write_text(
        '[pack]\nname = "custom"\n\n[[rule]]\nid = "custom.unsub"\nkind = "conditional"\n'
        'severity = "warning"\nsummary = "s"\nmessage = "No {element}."\nrationale = "r"\n'
        'source = "tests"\n[rule.params]\ntriggers = ["newsletter"]\n'
        "region_evidence = ['(?<=in )Denmark']\n"
        '[[rule.params.elements]]\nname = "an unsubscribe link"\npatterns = ["unsubscribe"]\n'
        '[rule.example]\nbad = "x"\ngood = "y"\n'
    )
    (tmp_path / "policylint.toml").write_text('rule_paths = ["pack.toml"]\n')
    (tmp_path / "policy.md").write_text("# Newsletter\n\nOur newsletter.\n")
    import contextlib
    import io

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(
            [
                "check",
                str(tmp_path / "policy.md"),
                "--no-cache",
                "--config",
                str(tmp_path / "policylint.toml"),
            ]
        )
    assert code == 2
    text = err.getvalue()
    for part in (str(tmp_path / "pack.toml"), "region_evidence", "a lookaround", "foo(?=bar) -> foobar"):
        assert part in text, text


def test_findings_are_the_same_when_built_in_patterns_run_on_re2(monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: every built-in pattern RE2 can take run on RE2, as a user's copy of it would,
    gives the same findings on the examples and the language fixtures as on ``re``."""
    from policylint import check_paths, pack_regex
    from policylint.config import Config

    targets = [EXAMPLES, ROOT / "tests" / "fixtures" / "lang"]

    def report() -> list[tuple[str, str, int, str]]:
        pack_regex.compile_pattern.cache_clear()
        found = check_paths(targets, Config(today="2026-12-06"))
        return sorted((f.path, f.rule, f.line, f.message) for f in found.findings)

    on_re = report()
    kept = set()
    for pattern in pack_regex._BUILTIN:
        try:
            translate(pattern, SEARCH_FLAGS)
        except PatternError:
            kept.add(pattern)  # \b between words: cannot run on RE2
    assert len(kept) < len(pack_regex._BUILTIN)
    monkeypatch.setattr(pack_regex, "_BUILTIN", kept)
    on_re2_engine = []
    compile_re2 = pack_regex._compile_re2
    monkeypatch.setattr(pack_regex, "_compile_re2", lambda p, f: on_re2_engine.append(p) or compile_re2(p, f))
    on_re2 = report()
    pack_regex.compile_pattern.cache_clear()
    assert len(set(on_re2_engine)) > 20  # the run did search with RE2
    assert on_re2 == on_re and len(on_re) > 20
