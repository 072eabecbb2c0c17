"""Shortcuts taken for speed give exactly the answers of the straightforward computations.

* Phrase matching skips the PhraseMatcher on a block (or a whole document) that has none of a
  phrase list's first lemmas; reports must be the same as when every block is matched.
* Language detection reads its word sample from the head of the text first and counts each
  distinct word once; readability counts per paragraph with Counter. Both are compared with the
  plain per-word loops they replace.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policylint
from conftest import CORPUS, EXAMPLES, TODAY
from policylint import language, readability
from policylint.checks import base, matching, words
from policylint.checks.base import CheckContext
from policylint.config import Config
from policylint.document import BlockRole
from policylint.findings import Report
from policylint.nlp import vocabulary_words
from policylint.packs import load_catalog

pytest.importorskip("spacy")


def _reference_find_phrases(
    ctx: CheckContext,
    phrases: Iterable[str],
    *,
    skip_roles: frozenset[BlockRole] = frozenset(),
    include_headings: bool = False,
    skip_protected: bool = True,
    skip_quoted: bool = False,
) -> Iterator[matching.PhraseMatch]:
    """find_phrases without its index: the PhraseMatcher runs on every block of every section."""
    from spacy.util import filter_spans

    unique = tuple(sorted({p.strip() for p in phrases if p.strip()}))
    if not unique:
        return
    compiled = matching._matcher(ctx, unique)
    for section in ctx.document.all_sections():
        blocks = list(section.blocks)
        if include_headings and section.heading is not None:
            blocks.insert(0, section.heading)
        for block in blocks:
            if block.role in skip_roles:
                continue
            doc = ctx.spacy_doc(block)
            spans = []
            for match_id, start, end in compiled.matcher(doc):
                span = doc[start:end]
                span.label_ = compiled.names[match_id]
                spans.append(span)
            quotes = matching.quoted_ranges(block.text) if skip_quoted else []
            for span in sorted(filter_spans(spans), key=lambda s: s.start_char):
                if skip_protected and block.is_protected(span.start_char, span.end_char):
                    continue
                if any(q0 <= span.start_char and span.end_char <= q1 for q0, q1 in quotes):
                    continue
                yield matching.PhraseMatch(
                    section, block, span.start_char, span.end_char, span.label_, span.text
                )


def _check(text: str, fmt: str, config: Config, prefilter: bool) -> Report:
    if prefilter:
        return policylint.check_text(text, fmt, config)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(words, "find_phrases", _reference_find_phrases)
        return policylint.check_text(text, fmt, config)


def _files() -> Iterator[Path]:
    for root in (EXAMPLES, CORPUS):
        if root.is_dir():
            yield from (p for p in sorted(root.rglob("*")) if p.suffix in (".md", ".html", ".txt"))


_FORMATS = {".md": "markdown", ".html": "html", ".txt": "text"}


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: p.name)
def test_skipping_the_matcher_changes_no_report_on_real_policies(path: Path) -> None:
    text = path.read_text("utf-8", errors="replace")
    config = Config(today=TODAY)
    fmt = _FORMATS[path.suffix]
    assert _check(text, fmt, config, prefilter=True) == _check(text, fmt, config, prefilter=False)


def test_the_reference_finds_phrases_in_the_examples() -> None:
    """The comparison above means something only if phrase rules find things in these files."""
    text = (EXAMPLES / "needs-work" / "service-policy.md").read_text("utf-8")
    report = _check(text, "markdown", Config(today=TODAY), prefilter=False)
    assert any(f.rule.startswith("jargon.") for f in report.findings)


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, list[str]]:
    catalog = load_catalog()
    return {code: sorted(vocabulary_words(pack.rules)) for code, pack in catalog.languages.items()}


_GLUE = [" ", " ", " ", ", ", ". ", "\n", "\n\n", "-", "'s ", "n't ", ": ", "“", "”", '"', "(", ") ", "# "]


@st.composite
def _policy(draw: st.DrawFn) -> tuple[str, str]:
    code = draw(st.sampled_from(sorted(_vocabulary())))
    vocabulary = st.sampled_from(_vocabulary()[code])
    words = vocabulary | vocabulary.map(str.capitalize) | vocabulary.map(str.upper)
    pieces = draw(st.lists(st.one_of(words, words, st.sampled_from(_GLUE)), min_size=1, max_size=80))
    return code, "".join(pieces)


@settings(max_examples=60, deadline=None)
@given(_policy())
def test_skipping_the_matcher_changes_no_report_on_phrase_soup(case: tuple[str, str]) -> None:
    code, text = case
    config = Config(today=TODAY, language=code)
    assert _check(text, "markdown", config, prefilter=True) == _check(
        text, "markdown", config, prefilter=False
    )


# -- language detection -------------------------------------------------------------------------


def _reference_words(text: str) -> list[str]:
    return [w.lower() for w in language._WORD.findall(text[: language.SAMPLE_CHARS])[: language.SAMPLE_WORDS]]


_LETTERS = st.text(alphabet=st.sampled_from("abcÆøİΣσ ,.\n1_-"), max_size=200)


@settings(max_examples=300, deadline=None)
@given(_LETTERS, st.integers(1, 12), st.integers(1, 120), st.integers(1, 120))
def test_word_sample_is_the_first_words_of_the_sample(text: str, words: int, chars: int, head: int) -> None:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(language, "SAMPLE_WORDS", words)
        mp.setattr(language, "SAMPLE_CHARS", chars)
        mp.setattr(language, "HEAD_CHARS", head)
        assert language._words(text) == _reference_words(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["the", "og", "und", "ja", "i", "je", "word", "THE", "der"]), max_size=60))
def test_stopword_counts_match_one_look_up_per_word(words: list[str]) -> None:
    packs = load_catalog().languages
    index = language._stopword_index(tuple((c, tuple(p.language.stopwords)) for c, p in packs.items()))
    expected = dict.fromkeys(packs, 0)
    for word in words:
        for code in index.get(word, ()):
            expected[code] += 1
    assert language._counts(words, packs) == expected


# -- readability --------------------------------------------------------------------------------


def _reference_count(text: str, lang: str) -> readability.Counts:
    code = readability.hyphenation_code(lang)
    words = [w.lower() for w in readability._WORD.findall(text)]
    per_word = [readability.syllables(w, code) for w in words]
    return readability.Counts(
        words=len(words),
        sentences=len(readability._SENTENCE_END.findall(text)) if words else 0,
        syllables=sum(per_word),
        long_words=sum(1 for w in words if len(w) > readability.LONG_WORD_LETTERS),
        polysyllables=sum(1 for s in per_word if s >= 3),
        monosyllables=sum(1 for s in per_word if s == 1),
    )


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["en", "da", "de"]),
    st.lists(
        st.sampled_from(
            ["a", "notwithstanding", "reimbursement", "we", "Überweisung", "it's", ".", " ", "!\n"]
        ),
        max_size=50,
    ).map(" ".join),
)
def test_readability_counts_match_the_per_word_loop(lang: str, text: str) -> None:
    assert readability.raw_count(text, lang) == _reference_count(text, lang)


# -- messages -----------------------------------------------------------------------------------


def _outcome(fill: Any) -> tuple[str, str]:
    try:
        return "ok", fill()
    except Exception as exc:
        return type(exc).__name__, str(exc)


_TEMPLATE_PIECES = [
    "text ",
    "{",
    "}",
    "{{",
    "}}",
    "{match}",
    "{missing}",
    "{value:.1f}",
    "{value:>8}",
    "{match!r}",
    "{match!s:^9}",
    "{items[0]}",
    "{items[5]}",
    "{0}",
    "{}",
    "{match.upper}",
    "{missing.attr}",
    "{value:{width}}",
    "{value:{missing}}",
    "{match!x}",
    ":",
    "!",
    "ø",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TEMPLATE_PIECES), max_size=8).map("".join))
def test_messages_are_filled_as_string_formatter_fills_them(template: str) -> None:
    fields = {"match": "Commenced", "value": 12.345, "items": ["a", "b"], "width": 7}
    expected = _outcome(lambda: string.Formatter().vformat(template, (), base._SafeDict(fields)))
    assert _outcome(lambda: base.render_message(template, fields)) == expected


# -- pieces for spaCy ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab. \n(x"), max_size=80), st.integers(1, 60))
def test_a_short_text_is_one_piece_and_pieces_rebuild_every_text(text: str, limit: int) -> None:
    """The shortcut for short texts gives what the general loop gives: the text, whole."""
    pieces = base._pieces(text, limit)
    assert "".join(p.text for p in pieces) == text
    if len(text) <= limit and base._LONG_RUN.search(text) is None:
        assert pieces == [base._Piece(text, raw=False)]
