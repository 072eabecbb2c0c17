"""Test-only proof that the built-in packs' regular expressions cannot backtrack catastrophically.

Users' patterns run on RE2 (policylint.pack_regex), linear in the text by construction. The
built-in packs' own patterns stay on Python's backtracking ``re``, because they use ``\\b`` between
words, which RE2 cannot express for non-ASCII letters. This static check, run by
tests/test_robustness.py on every built-in pattern, is what makes that safe: it reads each
pattern's syntax tree (``re._parser``, private to CPython, which is why it lives in the tests and
not in the run-time package) and refuses the shapes that make backtracking blow up. Each is a way
for one piece of text to be matched in many ways, which a failing match then tries one by one:

* a variable repeat inside a repeat that could stop where what follows it starts:
  ``(a+)+``, ``(a*)*``, ``(\\w+\\s?)+``, ``(.*a){10}``, and bounded ones too,
  ``(?:[ab]{0,5}){0,5}``. Nesting is fine when what follows the inner repeat cannot start like
  it: ``(?:\\w+\\s+)*``, ``(\\d{1,3}\\.){3}``;
* an alternation inside a repeat whose branches can match the same text: ``(a|a)*``,
  ``(a|aa)*``, ``(ab|a.)*`` (word lists such as ``(?:email|e-mail|mail)+`` are fine);
* a repeat whose body can match nothing: ``(a|)*``;
* two unbounded repeats that can trade characters with nothing required between them:
  ``\\w+\\w+``, ``.*.*`` (polynomial, but a 1 MB policy makes that hours);
* backreferences (``\\1``, ``(?(1)…)``), whose matching is NP-hard in general.

Random patterns (tests/test_fuzz.py) check the claim that what is accepted never backtracks
exponentially. Characters are compared on a fixed sample alphabet, which is exact for the ASCII
classes patterns use and errs on the side of "overlaps" otherwise.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from typing import Any

# The parser and opcodes ``re`` itself uses (``sre_parse`` before 3.11, which warns after).
_parser: Any = importlib.import_module("re._parser" if sys.version_info >= (3, 11) else "sre_parse")
_const: Any = importlib.import_module("re._constants" if sys.version_info >= (3, 11) else "sre_constants")

#: Longer patterns are refused: packs hold short phrases, and the analysis is kept cheap.
MAX_PATTERN_LENGTH = 2_000

_MAXREPEAT: int = _const.MAXREPEAT
_REPEATS = frozenset(getattr(_const, name) for name in ("MAX_REPEAT", "MIN_REPEAT") if hasattr(_const, name))
# Possessive repeats and atomic groups (3.11+) never backtrack into themselves: always safe.
_POSSESSIVE = getattr(_const, "POSSESSIVE_REPEAT", None)
_ATOMIC = getattr(_const, "ATOMIC_GROUP", None)

# The sample alphabet: exact for ASCII, representative elsewhere.
_ALPHABET: frozenset[str] = frozenset(
    [chr(c) for c in range(0x250)]
    + list("\u0391\u03b1\u0416\u0436\u05d0\u0627\u0663\u0905\u0e01\u3042\u4e2d\uac00\U0001f600")
    + list("\u1680\u2000\u2028\u2029\u202f\u3000\u200b\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u20ac\uff10")
)


class UnsafePatternError(ValueError):
    """A pattern that does not compile or can backtrack catastrophically; the message says why."""


@cache
def _category(name: str) -> frozenset[str]:
    """Sample characters of a class such as ``\\d`` (``CATEGORY_DIGIT``) or ``\\S``."""
    tests: dict[str, Callable[[str], bool]] = {
        "CATEGORY_DIGIT": str.isdigit,
        "CATEGORY_WORD": lambda c: c.isalnum() or c == "_",
        "CATEGORY_SPACE": str.isspace,
        "CATEGORY_LINEBREAK": lambda c: c == "\n",
    }
    for base, test in tests.items():
        if name == base:
            return frozenset(c for c in _ALPHABET if test(c))
        if name == base.replace("CATEGORY_", "CATEGORY_NOT_"):
            return frozenset(c for c in _ALPHABET if not test(c))
    return _ALPHABET  # an unknown category: assume it matches anything


@lru_cache(maxsize=4096)
def _folded(chars: frozenset[str], ignore_case: bool) -> frozenset[str]:
    r"""``chars`` with their other-case forms (cached: the same classes recur in every pattern,
    and folding all of ``\w`` each time made loading the built-in packs take a second)."""
    if not ignore_case:
        return chars
    return frozenset(v for c in chars for v in (c, c.lower(), c.upper()) if len(v) == 1) & _ALPHABET | chars


def _items(seq: Any) -> Iterator[tuple[Any, Any]]:
    """Every item of a parsed pattern, depth first (an explicit stack: no recursion limit)."""
    stack = [iter(seq)]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        yield item
        stack.extend(iter(child) for child in _Analysis._children(*item))


class _Analysis:
    """Walks a parsed pattern once; :meth:`problems` yields every unsafe construct found."""

    def __init__(self, parsed: Any, flags: int) -> None:
        self.parsed = parsed
        state = getattr(parsed, "state", None) or getattr(parsed, "pattern", None)
        flags |= getattr(state, "flags", 0)
        # Local (?i:…) groups widen literals too: erring towards "overlaps" is the safe side.
        local = any(str(op) == "SUBPATTERN" and av[1] & re.IGNORECASE for op, av in _items(parsed))
        self.ignore_case = bool(flags & re.IGNORECASE) or local
        self.dotall = bool(flags & re.DOTALL)

    # -- what an item can consume ----------------------------------------------------------

    def atom(self, op: Any, av: Any) -> frozenset[str] | None:
        """Characters a single-character item matches, None when ``op`` is not one."""
        name = str(op)
        if name == "LITERAL":
            return _folded(frozenset([chr(av)]), self.ignore_case)
        if name == "NOT_LITERAL":
            return _ALPHABET - _folded(frozenset([chr(av)]), self.ignore_case)
        if name == "ANY":
            return _ALPHABET if self.dotall else _ALPHABET - {"\n"}
        if name == "IN":
            chars: set[str] = set()
            negate = False
            for sub_op, sub_av in av:
                sub = str(sub_op)
                if sub == "NEGATE":
                    negate = True
                elif sub == "LITERAL":
                    chars.add(chr(sub_av))
                elif sub == "RANGE":
                    lo, hi = sub_av
                    chars.update(c for c in _ALPHABET if lo <= ord(c) <= hi)
                elif sub == "CATEGORY":
                    chars.update(_category(str(sub_av)))
                else:
                    chars.update(_ALPHABET)
            folded = _folded(frozenset(chars), self.ignore_case)
            return _ALPHABET - folded if negate else folded
        return None

    def chars(self, seq: Any, skip: int | None = None) -> frozenset[str]:
        """Every character ``seq`` may consume, ignoring the subtree whose id is ``skip``."""
        out: set[str] = set()
        for op, av in seq:
            if id(av) == skip:
                continue
            single = self.atom(op, av)
            if single is not None:
                out |= single
                continue
            for child in self._children(op, av, consuming=True):
                out |= self.chars(child, skip)
        return frozenset(out)

    def first(self, seq: Any, reverse: bool = False) -> frozenset[str]:
        """Characters a non-empty match of ``seq`` may start with (end with, when ``reverse``)."""
        out: set[str] = set()
        for op, av in reversed(seq) if reverse else seq:
            single = self.atom(op, av)
            if single is not None:
                return frozenset(out | single)
            for child in self._children(op, av, consuming=True):
                out |= self.first(child, reverse)
            if not self.nullable_item(op, av):
                break
        return frozenset(out)

    def nullable(self, seq: Any, skip: int | None = None) -> bool:
        """Whether ``seq`` can match the empty string (the subtree ``skip`` counted as empty)."""
        return all(id(av) == skip or self.nullable_item(op, av, skip) for op, av in seq)

    def nullable_item(self, op: Any, av: Any, skip: int | None = None) -> bool:
        name = str(op)
        if self.atom(op, av) is not None:
            return False
        if op in _REPEATS or op is _POSSESSIVE:
            lo, _, body = av
            return lo == 0 or self.nullable(body, skip)
        if name == "BRANCH":
            return any(self.nullable(branch, skip) for branch in av[1])
        if name == "SUBPATTERN":
            return self.nullable(av[-1], skip)
        if op is _ATOMIC:
            return self.nullable(av, skip)
        if name == "GROUPREF_EXISTS":
            _, yes, no = av
            return self.nullable(yes, skip) or no is None or self.nullable(no, skip)
        if name == "GROUPREF":
            return True
        return True  # AT, ASSERT, ASSERT_NOT: zero-width

    @staticmethod
    def _children(op: Any, av: Any, consuming: bool = False) -> list[Any]:
        """Sub-sequences of an item (assertions only when not asking what is consumed)."""
        name = str(op)
        if op in _REPEATS or op is _POSSESSIVE:
            return [av[2]]
        if name == "BRANCH":
            return list(av[1])
        if name == "SUBPATTERN":
            return [av[-1]]
        if op is _ATOMIC:
            return [av]
        if name == "GROUPREF_EXISTS":
            return [av[1]] + ([av[2]] if av[2] is not None else [])
        if name in ("ASSERT", "ASSERT_NOT") and not consuming:
            return [av[1]]
        return []

    # -- the unsafe shapes -----------------------------------------------------------------

    def problems(self) -> Iterator[str]:
        yield from self._walk(self.parsed, frozenset(), None)

    def _walk(self, seq: Any, after: frozenset[str], outer: tuple[int, int] | None) -> Iterator[str]:
        """Check ``seq``, where ``after`` is what may follow it and ``outer`` the (min, max) of
        the nearest enclosing repeat that can iterate more than once (None outside any)."""
        yield from self._adjacent(seq)
        follows = self._follows(seq, after)
        for (op, av), follow in zip(seq, follows, strict=True):
            name = str(op)
            if name in ("GROUPREF", "GROUPREF_EXISTS"):
                yield "backreferences (\\1, (?P=name), (?(1)…)) can take exponential time"
            if op is _POSSESSIVE or op is _ATOMIC:
                continue  # never backtracks into itself
            if op in _REPEATS:
                lo, hi, body = av
                first = self.first(body)
                # Bounded nesting blows up too: (x{0,5}){0,5} tries every split of 25 characters.
                if lo != hi and outer is not None and first & follow:
                    yield (
                        "a repeat nested in a repeat that can stop at more than one place, like "
                        "(a+)+, (\\w+\\s?)+ or (.*a){10}: one run of text can be split between "
                        "the iterations in exponentially many ways"
                    )
                if hi > 1 and lo != hi and self.nullable(body):
                    yield "a repeat whose body can match empty text, like (a|)* or (,?\\s?){0,5}"
                if hi == 1 and lo == 0 and outer is not None and self.nullable(body):
                    # (?:(?:a?)?\sa)*: the empty text is matched by the inner or the outer "?",
                    # two ways per iteration, which the enclosing repeat multiplies.
                    yield "an optional part that can match empty text in two ways, like (a?)? inside a repeat"
                inner = (lo, hi) if hi > 1 else outer
                yield from self._walk(body, follow | (first if hi > 1 else frozenset()), inner)
                continue
            if name == "BRANCH" and outer is not None:  # (a|a){2} inside *: 2 ways per run, again and again
                yield from self._overlapping_branches(av[1], follow)
            for child in self._children(op, av):
                yield from self._walk(child, follow, outer)

    def _follows(self, seq: Any, after: frozenset[str]) -> list[frozenset[str]]:
        """For each item of ``seq``, the characters that may come right after it."""
        follows: list[frozenset[str]] = [frozenset()] * len(seq)
        current = after
        for index in range(len(seq) - 1, -1, -1):
            follows[index] = current
            op, av = seq[index]
            first = self.first([(op, av)])
            current = first | current if self.nullable_item(op, av) else first
        return follows

    def _literal(self, seq: Any) -> str | None:
        """The text a branch of plain characters matches (case-folded), None for anything else."""
        chars = []
        for op, av in seq:
            if str(op) != "LITERAL":
                return None
            chars.append(chr(av))
        text = "".join(chars)
        return text.casefold() if self.ignore_case else text

    def _ambiguous_pair(self, a: Any, b: Any, follow: frozenset[str]) -> bool:
        """Whether two branches of an alternation in a repeat can share a piece of text.

        Two words are ambiguous only if one is the other or a prefix of it followed by what may
        follow (``cat|cats`` before ``s``); word lists like ``email|e-mail|mail`` are not.
        Anything else is compared by first characters, which errs on the side of refusing.
        """
        text_a, text_b = self._literal(a), self._literal(b)
        if text_a is not None and text_b is not None:
            short, long = sorted((text_a, text_b), key=len)
            if not long.startswith(short):
                return False
            rest = long[len(short) :]
            return not rest or bool(_folded(frozenset(rest[0]), self.ignore_case) & follow)
        first_a, first_b = self.first(a), self.first(b)
        empty_a, empty_b = self.nullable(a), self.nullable(b)
        return bool(
            first_a & first_b
            or (empty_a and empty_b)
            or (empty_a and first_b & follow)
            or (empty_b and first_a & follow)
        )

    def _overlapping_branches(self, branches: list[Any], follow: frozenset[str]) -> Iterator[str]:
        """An alternation in a repeat is ambiguous when two branches can match the same text, or
        one can match nothing while another starts with what may follow: ``(a|aa)*``, which
        ``re`` rewrites as ``(a(|a))*``."""
        for i, branch in enumerate(branches):
            for other in branches[i + 1 :]:
                if self._ambiguous_pair(branch, other, follow):
                    yield (
                        "an alternation inside a repeat whose branches can match the same text, "
                        "like (a|a)*, (a|aa)* or (ab|a.)*"
                    )
                    return

    def _flat(self, seq: Any) -> list[tuple[Any, Any]]:
        """Items of a sequence with plain (unquantified) groups expanded inline."""
        items: list[tuple[Any, Any]] = []
        for op, av in seq:
            if str(op) == "SUBPATTERN":
                items.extend(self._flat(av[-1]))
            else:
                items.append((op, av))
        return items

    def _adjacent(self, seq: Any) -> Iterator[str]:
        """Two unbounded repeats that can trade characters at their boundary (``\\w+\\w+``)."""
        items = self._flat(seq)
        for i, (op, av) in enumerate(items):
            if op not in _REPEATS or av[1] != _MAXREPEAT:
                continue
            left = self.first([(op, av)], reverse=True)
            for op2, av2 in items[i + 1 :]:
                if op2 in _REPEATS and av2[1] == _MAXREPEAT and left & self.first([(op2, av2)]):
                    yield (
                        "two unbounded repeats that can match the same characters with nothing "
                        "required between them, like \\w+\\w* or .*.*"
                    )
                    return
                if not self.nullable_item(op2, av2):
                    break


def _problems(pattern: str, flags: int) -> list[str]:
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error as exc:
        raise UnsafePatternError(f"invalid regular expression {pattern!r}: {exc}") from None
    except RecursionError:
        raise UnsafePatternError(f"regular expression {pattern[:60]!r}… is nested too deeply") from None
    try:
        return list(dict.fromkeys(_Analysis(parsed, flags).problems()))
    except RecursionError:
        return ["groups nested too deeply to analyse"]


@lru_cache(maxsize=512)
def check_pattern(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile ``pattern``, or raise :class:`UnsafePatternError` saying why it is refused."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise UnsafePatternError(
            f"regular expression {pattern[:40]!r}… is {len(pattern):,} characters long; "
            f"the limit is {MAX_PATTERN_LENGTH:,} (split it into several patterns)"
        )
    problems = _problems(pattern, flags)
    if problems:
        raise UnsafePatternError(
            f"regular expression {pattern!r} can take exponential time on some texts: "
            + "; ".join(problems)
            + ". Rewrite it so that each part of the text can be matched only one way "
            "(e.g. (a+)+ -> a+, (\\w+\\s?)+ -> \\w+(?:\\s\\w+)*) or use a phrase list instead"
        )
    try:
        return re.compile(pattern, flags)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePatternError(f"invalid regular expression {pattern!r}: {exc}") from None
