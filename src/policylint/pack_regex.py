"""Regular expressions from packs and configs: users' on RE2, the built-in packs' on ``re``.

Rule and language packs may carry regular expressions (a conditional rule's ``patterns`` and
``region_evidence``, a section kind's ``patterns``), and a config's ``params`` may set them too.
Python's ``re`` backtracks: ``^(a+)+$`` takes exponential time on ``"aaaa…a!"``, and one such
pattern in a shared pack would freeze every CI run that uses it. So a pattern a user supplies runs
on RE2 (``google-re2``), which matches in time linear in the text whatever the pattern, as Vale's
user patterns do on Go's ``regexp``. Nothing has to be analysed or timed out.

RE2 cannot run backreferences, lookarounds, conditionals, atomic groups or possessive repeats:
such a pattern is refused when its pack loads, with a message that names the construct and says
how to rewrite it; the pack's path and key are added by whoever validates the pack.

Patterns keep the meaning they had under ``re``: RE2's ``\\w``, ``\\d``, ``\\s`` and ``\\b`` know
only ASCII, so ``\\w``, ``\\d`` and ``\\s`` are rewritten to the Unicode classes Python uses
(``vilkår\\w*`` still matches "vilkårene"), and ``\\b``/``\\B`` are accepted where a Unicode-exact
rewrite exists for a yes/no search (first or last in the pattern, next to a word character, as in
``\\bÖsterreich\\b``) and refused elsewhere.

The built-in packs' own patterns stay on ``re``: they use ``\\b`` between words, which RE2 cannot
express for non-ASCII letters. They are trusted by exact text (:func:`trust`), and
tests/redos_check.py proves each of them free of catastrophic backtracking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

#: The flags rules search with: element patterns and region evidence (section kinds use I only).
SEARCH_FLAGS = re.IGNORECASE | re.MULTILINE

# Python's \w, \d and \s on str patterns, as RE2 classes (tests compare them on every code point).
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_SPACE = r"\t-\r\x1c-\x20\x85\p{Z}"
_OUTSIDE = {
    "w": f"[{_WORD}]",
    "W": f"[^{_WORD}]",
    "d": _DIGIT,
    "D": r"\P{Nd}",
    "s": f"[{_SPACE}]",
    "S": f"[^{_SPACE}]",
    "Z": r"\z",
}
#: Python's \w less \d (Nd), as written for re: letters and the other numerals.
_LETTERS = {r"[^\W\d_]": r"[\p{L}\p{Nl}\p{No}]", r"[^\W\d]": r"[\p{L}\p{Nl}\p{No}_]"}
_INSIDE = {"w": _WORD, "d": _DIGIT, "D": r"\P{Nd}", "s": _SPACE, "b": r"\x08"}

_LOOKAROUND = (
    "a lookaround ((?=…), (?!…), (?<=…) or (?<!…))",
    "match the neighbouring text itself (foo(?=bar) -> foobar), or leave the condition out",
)
_BACKREFERENCE = (
    "a backreference (\\1 or (?P=name))",
    "spell the repeated text out ((a|b)\\1 -> (?:aa|bb))",
)
_CONDITIONAL = ("a conditional group ((?(1)…|…))", "write the alternatives out with |")
_ATOMIC = (
    "an atomic group or possessive repeat ((?>…), a++, a*+)",
    "drop it: RE2 never backtracks, so (?>a+) -> a+ and a++ -> a+",
)
_BOUNDARY = (
    "\\b or \\B inside the pattern",
    "RE2's word boundary knows only ASCII letters, so \\b and \\B are accepted only first or last "
    "in a pattern, next to a letter, digit or _ (\\bword\\b); elsewhere match the separator itself "
    "(refund\\w*\\b\\s -> refund\\w*\\s)",
)
_COMPLEMENT = (
    "\\W or \\S inside [...]",
    "RE2 cannot take the complement of a Unicode class inside [...]: name what you want instead "
    "([\\W_] -> [^\\p{L}\\p{N}])",
)


class PatternError(ValueError):
    """A pattern policylint will not run; the message names the construct and how to rewrite it."""


class Searcher(Protocol):
    """What rules need of a compiled pattern: ``re.Pattern`` and RE2's compiled patterns both."""

    def search(self, text: str) -> object | None: ...


@dataclass(frozen=True)
class _Token:
    kind: str  # atom, open, close, alt, quant, bound, flags
    text: str
    word: bool = False  # an atom that matches only word characters
    optional: bool = False  # a quantifier that allows zero repetitions


def _refuse(pattern: str, construct: tuple[str, str]) -> PatternError:
    what, how = construct
    return PatternError(
        f"regular expression {pattern!r} uses {what}, which RE2 (the linear-time engine "
        f"that runs pack patterns) cannot run: {how}"
    )


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _class(pattern: str, start: int) -> tuple[_Token, int]:
    """The character class starting at ``pattern[start] == "["``, rewritten for RE2."""
    for idiom, letters in _LETTERS.items():  # the usual spelling of "a letter" in re
        if pattern.startswith(idiom, start):
            return _Token("atom", letters, word=True), start + len(idiom)
    i = start + 1
    negated = pattern.startswith("^", i)
    i += negated
    out, word = ["[^" if negated else "["], not negated
    first = True
    while i < len(pattern) and (pattern[i] != "]" or first):
        first = False
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            if code in "WS":
                raise _refuse(pattern, _COMPLEMENT)
            out.append(_INSIDE.get(code, _unicode_escape(pattern, i)))
            word = word and code in "wd"
            i += len(_escape_text(pattern, i))
            continue
        out.append(char)
        word = word and (_is_word(char) or _word_range(pattern, i))
        i += 1
    if i >= len(pattern):
        raise PatternError(f"invalid regular expression {pattern!r}: unterminated character set")
    return _Token("atom", "".join(out) + "]", word=word), i + 1


def _word_range(pattern: str, i: int) -> bool:
    """Whether the ``-`` at ``pattern[i]`` spans word characters of one kind (a-z, A-Z, 0-9)."""
    low, high = pattern[i - 1], pattern[i + 1 : i + 2]
    kinds = (str.islower, str.isupper, str.isdigit)
    return pattern[i] == "-" and high not in ("", "]") and any(k(low) and k(high) for k in kinds)


def _escape_text(pattern: str, i: int) -> str:
    """The raw escape at ``pattern[i] == "\\"``: two characters, or a whole \\x.., \\u...., \\p{..}."""
    code = pattern[i + 1]
    lengths = {"x": 4, "u": 6, "U": 10}
    if code in lengths:
        return pattern[i : i + lengths[code]]
    if code in "pP" and pattern.startswith("{", i + 2):
        end = pattern.find("}", i)
        return pattern[i : end + 1] if end > 0 else pattern[i:]
    return pattern[i : i + 2]


def _unicode_escape(pattern: str, i: int) -> str:
    """An escape in RE2's spelling: Python's \\u2019 and \\U0001F600 become \\x{2019}."""
    raw = _escape_text(pattern, i)
    if raw[1] in "uU":
        return "\\x{" + raw[2:] + "}"
    return raw


def _group(pattern: str, i: int) -> tuple[_Token, int]:
    """The opening of a group at ``pattern[i] == "("``; refuses what RE2 cannot run."""
    rest = pattern[i:]
    for prefix, construct in (
        ("(?=", _LOOKAROUND),
        ("(?!", _LOOKAROUND),
        ("(?<=", _LOOKAROUND),
        ("(?<!", _LOOKAROUND),
        ("(?P=", _BACKREFERENCE),
        ("(?(", _CONDITIONAL),
        ("(?>", _ATOMIC),
    ):
        if rest.startswith(prefix):
            raise _refuse(pattern, construct)
    flags = re.match(r"\(\?[a-zA-Z]*(?:-[a-zA-Z]*)?\)", rest)
    if flags:
        return _Token("flags", flags.group()), i + len(flags.group())
    head = re.match(r"\((?:\?P?<\w+>|\?[a-zA-Z]*(?:-[a-zA-Z]*)?:|\?)?", rest)
    text = head.group() if head else "("
    return _Token("open", text.replace("(?<", "(?P<") if text.startswith("(?<") else text), i + len(text)


def _tokens(pattern: str, multiline: bool) -> list[_Token]:
    """The pattern as tokens in RE2's spelling, with Python's Unicode meaning kept."""
    tokens: list[_Token] = []
    local_m = re.search(r"\(\?[a-zA-Z]*m", pattern) is not None
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "[":
            token, i = _class(pattern, i)
        elif char == "(":
            token, i = _group(pattern, i)
        elif char == ")":
            token, i = _Token("close", ")"), i + 1
        elif char == "|":
            token, i = _Token("alt", "|"), i + 1
        elif char in "*+?{":
            token, i = _quantifier(pattern, i)
        elif char == "\\" and i + 1 < len(pattern):
            token, i = _escape(pattern, i)
        elif char == "$" and not multiline and not local_m:
            token, i = _Token("atom", r"(?:\n?\z)"), i + 1  # re's $ also matches before a last \n
        else:
            token, i = _Token("atom", char, word=_is_word(char)), i + 1
        tokens.append(token)
    return tokens


def _quantifier(pattern: str, i: int) -> tuple[_Token, int]:
    found = re.match(r"(?:[*+?]|\{(\d*)(,\d*)?\})([?+]?)", pattern[i:])
    if found is None:  # a { that is no repeat is a literal brace, as in re
        return _Token("atom", "\\{"), i + 1
    text = found.group()
    if found.group(3) == "+":
        raise _refuse(pattern, _ATOMIC)
    optional = text[0] in "*?" or (text[0] == "{" and found.group(1) in ("", "0"))
    return _Token("quant", text, optional=optional), i + len(text)


def _escape(pattern: str, i: int) -> tuple[_Token, int]:
    raw = _escape_text(pattern, i)
    code = raw[1]
    if code.isdigit() and code != "0":
        raise _refuse(pattern, _BACKREFERENCE)
    if code in "bB":
        return _Token("bound", code), i + 2
    if code in _OUTSIDE:
        return _Token("atom", _OUTSIDE[code], word=code in "wd"), i + 2
    text = _unicode_escape(pattern, i)
    return _Token("atom", text, word=text in (r"\pL", r"\p{L}", r"\pN", r"\p{N}")), i + len(raw)


def _partner(tokens: list[_Token], k: int, step: int) -> int:
    """Index of the bracket matching ``tokens[k]`` (step +1 from an open, -1 from a close), or of
    the bracket enclosing position ``k`` when ``tokens[k]`` is an alternation; -1/len at the top."""
    depth = 0
    j = k + step
    while 0 <= j < len(tokens):
        kind = tokens[j].kind
        if kind == ("close" if step > 0 else "open"):
            if depth == 0:
                return j
            depth -= 1
        elif kind == ("open" if step > 0 else "close"):
            depth += 1
        j += step
    return j


def _quantified(tokens: list[_Token], close: int) -> bool:
    return close + 1 < len(tokens) and tokens[close + 1].kind == "quant"


def _at_edge(tokens: list[_Token], k: int, step: int) -> bool:
    """Whether nothing can be matched before (step -1) or after (step +1) ``tokens[k]``."""
    inner = "open" if step < 0 else "close"
    j = k + step
    while 0 <= j < len(tokens):
        token = tokens[j]
        if token.kind == "flags":
            j += step
        elif token.kind == inner:
            close = j if step > 0 else _partner(tokens, j, +1)
            if _quantified(tokens, close):
                return False
            j += step
        elif token.kind == "alt":
            j = _partner(tokens, j, step)
        else:
            return False
    return True


def _branches(tokens: list[_Token], open_index: int) -> list[tuple[int, int]]:
    """(start, end) token ranges of each alternative of the group opened at ``open_index``."""
    close = _partner(tokens, open_index, +1)
    ranges, start, depth = [], open_index + 1, 0
    for j in range(open_index + 1, close):
        kind = tokens[j].kind
        depth += kind == "open"
        depth -= kind == "close"
        if kind == "alt" and depth == 0:
            ranges.append((start, j))
            start = j + 1
    return [*ranges, (start, close)]


def _item_start(tokens: list[_Token], end: int) -> int:
    """Where the item ending at ``tokens[end]`` (an atom or a group's close) starts."""
    return _partner(tokens, end, -1) if 0 <= end < len(tokens) and tokens[end].kind == "close" else end


def _word_side(tokens: list[_Token], k: int, step: int) -> bool:
    """Whether the item at ``tokens[k]`` (forward: starting there; backward: ending there) must
    match a word character at that end."""
    if not 0 <= k < len(tokens):
        return False
    token = tokens[k]
    if step > 0:
        if token.kind == "open":
            close = _partner(tokens, k, +1)
            if _quantified(tokens, close) and tokens[close + 1].optional:
                return False
            return all(_word_side(tokens, s, +1) and s < e for s, e in _branches(tokens, k))
        optional = k + 1 < len(tokens) and tokens[k + 1].kind == "quant" and tokens[k + 1].optional
        word = token.kind == "atom" and token.word
        return word and (not optional or _word_side(tokens, k + 2, +1))
    if token.kind == "quant":  # x+ ends like x; x* ends like x and like what comes before it
        before = _item_start(tokens, k - 1) - 1
        return _word_side(tokens, k - 1, -1) and (not token.optional or _word_side(tokens, before, -1))
    if token.kind == "close":
        opened = _partner(tokens, k, -1)
        return all(_word_side(tokens, e - 1, -1) and s < e for s, e in _branches(tokens, opened))
    return token.kind == "atom" and token.word


def _boundary(tokens: list[_Token], k: int, pattern: str) -> str:
    """A Unicode-exact RE2 rewrite of the \\b or \\B at ``tokens[k]`` for a yes/no search."""
    bound = tokens[k].text
    if _at_edge(tokens, k, -1) and _word_side(tokens, k + 1, +1):
        return f"(?:\\A|[^{_WORD}])" if bound == "b" else f"[{_WORD}]"
    if _at_edge(tokens, k, +1) and _word_side(tokens, k - 1, -1):
        return f"(?:[^{_WORD}]|\\z)" if bound == "b" else f"[{_WORD}]"
    raise _refuse(pattern, _BOUNDARY)


def translate(pattern: str, flags: int = 0) -> str:
    """``pattern`` as written for ``re`` with ``flags``, in RE2 syntax with the same meaning for a
    yes/no search; raises :class:`PatternError` for what RE2 cannot run."""
    tokens = _tokens(pattern, multiline=bool(flags & re.MULTILINE))
    parts = [_boundary(tokens, k, pattern) if t.kind == "bound" else t.text for k, t in enumerate(tokens)]
    return ("(?m)" if flags & re.MULTILINE else "") + "".join(parts)


def _compile_re2(pattern: str, flags: int) -> Searcher:
    # Imported here: most runs have no user pattern and need not load the extension.
    import re2  # type: ignore[import-untyped]  # google-re2 ships no type hints

    options = re2.Options()
    options.case_sensitive = not flags & re.IGNORECASE
    options.dot_nl = bool(flags & re.DOTALL)
    options.log_errors = False
    try:
        compiled: Searcher = re2.compile(translate(pattern, flags), options)
    except re2.error as exc:
        raise PatternError(f"invalid regular expression {pattern!r}: {exc}") from None
    return compiled


#: Patterns of the built-in packs, exactly as written there: they run on ``re``.
_BUILTIN: set[str] = set()


def trust(patterns: Iterable[str]) -> None:
    """Let these exact patterns run on ``re`` (only the built-in packs' own patterns, every one of
    which tests/test_robustness.py proves free of catastrophic backtracking)."""
    _BUILTIN.update(patterns)


@lru_cache(maxsize=1024)
def compile_pattern(pattern: str, flags: int = 0) -> Searcher:
    """A pack or config pattern compiled for searching, or :class:`PatternError` saying why not.

    Pack validators call it, so a refused pattern fails the run when the pack is loaded (exit 2,
    with the pack's path and key), never while a document is being checked.
    """
    if pattern in _BUILTIN:
        try:
            return re.compile(pattern, flags)
        except (re.error, RecursionError, OverflowError) as exc:
            raise PatternError(f"invalid regular expression {pattern!r}: {exc}") from None
    return _compile_re2(pattern, flags)


def searches(patterns: Iterable[str], text: str, flags: int) -> bool:
    """Whether any of ``patterns`` occurs in ``text``."""
    return any(compile_pattern(pattern, flags).search(text) is not None for pattern in patterns)
