"""Speed-ups in the contact, dates and classify code must not change what is found.

Each fast path (a substring or digit test before a regular expression, an emails-only
extractor, a cache) is compared here with the plain computation it replaces, on generated
strings built from the characters the patterns care about (including Unicode digits and
letters that match ASCII ones case-insensitively) and on the example documents.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from policylint import classify, dates, load_document
from policylint.checks import contact
from policylint.extract import channel_text, commitments, periods, phrases
from policylint.extract.channel_text import ChannelVocabulary
from policylint.extract.channels import extract_channels, extract_emails
from policylint.packs import LanguagePack, load_catalog

CATALOG = load_catalog()
EN = CATALOG.languages["en"]
VOCAB = ChannelVocabulary(**EN.rules["contact.too-few-channels"])
COMPILED = channel_text._compiled_for(VOCAB)

#: Pieces the channel patterns react to; texts are random sequences of them.
PIECES = [
    "a", "W", "w", "ww", "www.", "WwW.", "://", "http", "https://", "mailto:", "@", ".", ",", "-",
    "/", ":", ";", " ", "\n", "(", ")", "1", "9", "12", "555", "0142", "+1", "\u0663", "\u00a0",
    "ſ", "K", "ı", "İ", "help", "example", ".com", "Mon", "Monday", "Friday", " to ", "–",
    "9 am", "5 pm", "9:00", "17:30", "noon", "24/7", "around the clock", "Street", "call",
]  # fmt: skip
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _urls_reference(text: str) -> list[tuple[int, int, str]]:
    found = []
    for match in channel_text._URL.finditer(text):
        stripped = match.group(0).rstrip(channel_text._URL_TRAILING)
        if stripped.endswith(")") and stripped.count("(") < stripped.count(")"):
            stripped = stripped[:-1]
        found.append((match.start(), match.start() + len(stripped), stripped))
    return found


def _hours_reference(text: str, compiled: channel_text._Compiled) -> list[tuple[int, int]]:
    """``_hours`` as it was before the digit test: every pattern on every text."""
    firm: list[tuple[int, int]] = []
    for pattern in (compiled.day_range, compiled.time_range, compiled.clock):
        if pattern is not None:
            firm.extend(m.span() for m in pattern.finditer(text) if channel_text._valid_times(m.group(0)))
    if not firm:
        return []
    firm.sort()
    starts = [s for s, _ in firm]
    extra: list[tuple[int, int]] = []
    for pattern in (compiled.day, compiled.lone_time):
        if pattern is None:
            continue
        for m in pattern.finditer(text):
            i = bisect_left(starts, m.start())
            near = firm[max(0, i - 1) : i + 1]
            if any(s <= m.start() < e for s, e in near):
                continue
            if any(abs(m.start() - e) <= 20 or abs(s - m.end()) <= 20 for s, e in near):
                extra.append(m.span())
    return channel_text._merge(firm + extra, text, 20)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_channel_prefilters_find_what_the_patterns_find(text: str) -> None:
    assert channel_text._urls(text) == _urls_reference(text)
    emails = [(m.start(), m.end()) for m in channel_text._EMAIL.finditer(text)]
    assert [(c.start, c.end) for c in channel_text._emails(text, [])] == emails
    assert channel_text._hours(text, COMPILED) == _hours_reference(text, COMPILED)
    if not re.search(r"\d", text):
        assert list(channel_text._phones(text, COMPILED, [])) == []
        assert not any(
            any(ch.isdigit() for ch in m.group(0)) for m in channel_text._PHONE_CANDIDATE.finditer(text)
        )


@pytest.mark.parametrize(
    "text",
    [
        "See WWW.Example.com/contact or write to help@example.com.",
        "Mail https://user@example.com/path and support@example.com (not in a URL).",
        "Mon–Fri 9 am to 5 pm; Saturday 10:00–14:00. We answer 24/7.",
        "Monday to Friday, around the clock.",
        "Call \u0665\u0665\u0665 \u0660\u0661\u0664\u0662 on Monday 9:00–17:30.",
    ],
)
def test_channel_prefilters_on_examples(text: str) -> None:
    assert channel_text._urls(text) == _urls_reference(text)
    assert channel_text._hours(text, COMPILED) == _hours_reference(text, COMPILED)


DOCUMENTS = sorted(p for p in EXAMPLES.rglob("*") if p.suffix in {".md", ".txt", ".html"})

HIDDEN = """# Contact

Write to [our team](mailto:Team@Example.com) or [help@example.com](mailto:help@example.com).
You can also <a href="MAILTO:press@example.com?subject=hi">email the press office</a>,
visit [the help centre](https://example.com/help) or call [us](tel:+15035550142).
"""


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_extract_emails_is_the_email_part_of_extract_channels(path: Path) -> None:
    document = load_document(path)
    for vocab in (ChannelVocabulary(), VOCAB):
        everything = [c for c in extract_channels(document, vocab) if c.kind == "email"]
        assert extract_emails(document) == everything


def test_extract_emails_with_link_targets(tmp_path: Path) -> None:
    for name, text in (("links.md", HIDDEN), ("links.txt", HIDDEN.replace("mailto:", "MailTo:"))):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        document = load_document(path)
        everything = [c for c in extract_channels(document, ChannelVocabulary()) if c.kind == "email"]
        assert extract_emails(document) == everything
    assert any(c.hidden for c in extract_emails(load_document(tmp_path / "links.md")))


def _content_kind_reference(text: str, pack: LanguagePack) -> tuple[str, float] | None:
    """``classify._content_kind`` without the occurrence count that skips hopeless kinds."""
    best: tuple[str, float] | None = None
    lowered = text.lower()
    for kind, vocab in pack.section_kinds.items():
        pattern = classify._lowercase_phrases(tuple(vocab.content))
        if pattern is None:
            continue
        hits = [m.group(0) for m in pattern.finditer(lowered)]
        distinct = len(set(hits))
        if distinct >= classify.CONTENT_DISTINCT_MIN and len(hits) >= classify.CONTENT_HITS_MIN:
            strength = len(hits) + distinct
            if best is None or strength > best[1]:
                best = (kind, float(strength))
    return best


#: Words of the English content phrases, and pieces that make near misses of them.
CONTENT_WORDS = sorted(
    {w for v in EN.section_kinds.values() for p in v.content for w in p.split()} | {"x", "İ"}
)
SEPARATORS = [" ", " ", "  ", "\n", " \n ", "\t", "-", "s "]
CONTENT_TEXTS = st.lists(
    st.tuples(st.sampled_from(CONTENT_WORDS), st.sampled_from(SEPARATORS)), max_size=40
).map(lambda pairs: "".join(w + sep for w, sep in pairs))


@settings(max_examples=300, deadline=None)
@given(CONTENT_TEXTS)
def test_content_kind_count_skips_only_hopeless_kinds(text: str) -> None:
    for code in ("en", "de", "da"):
        pack = CATALOG.languages[code]
        assert classify._content_kind(text, pack) == _content_kind_reference(text, pack)


@pytest.mark.parametrize(
    "text",
    [
        "Please contact\nus, email  us or call\tus.",
        "Contact us, contact\nus or CONTACT  US today.",
        "A full\nrefund, a partial  refund or no refund.",
    ],
)
def test_content_kind_with_spacing_variants(text: str) -> None:
    assert classify._content_kind(text, EN) == _content_kind_reference(text, EN)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_content_kind_on_example_sections(path: Path) -> None:
    for section in load_document(path).sections():
        for pack in CATALOG.languages.values():
            text = section.body_text()
            assert classify._content_kind(text, pack) == _content_kind_reference(text, pack)


def test_folds_to_ascii_lists_every_non_ascii_match_of_an_ascii_letter() -> None:
    letter = re.compile(r"[a-z]", re.IGNORECASE)
    found = {chr(c) for c in range(128, 0x110000) if letter.fullmatch(chr(c))}
    assert found == set(phrases._FOLDS_TO_ASCII)


PERIODS = periods.PeriodVocabulary(
    **{
        k: v
        for k, v in EN.rules["consistency.return-window"].items()
        if k in periods.PeriodVocabulary.model_fields
    }
)
PERIOD_PIECES = [
    "30", "1.5", "14", " ", "  ", "\n", "-", "–", " to ", "(", "thirty", ")", "a", "One", "TWENTY-FOUR",
    "day", "DAYS", "Day", "dAy", "hr", "Hrs", "week", "months", "Year", "minute", "business", "Working",
    "calendar", "’", "é", "İ", "ı", "ſ", "K", "\u0663", "s", "y", ".", ",",
]  # fmt: skip


def _assert_unit_test_sound(text: str) -> None:
    """Where the unit-word test says no, the period pattern matches nothing, and the periods found
    are those found without the test."""
    key = phrases.vocab_key(PERIODS)
    pattern = periods._period_pattern(key)
    assert pattern is not None
    if not periods._may_have_unit(text, key):
        assert pattern.search(text) is None
    fast = periods.find_periods(text, PERIODS)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(periods, "_may_have_unit", lambda text, key: True)
        assert fast == periods.find_periods(text, PERIODS)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PERIOD_PIECES), max_size=25).map("".join))
def test_unit_word_test_keeps_every_period(text: str) -> None:
    _assert_unit_test_sound(text)


@pytest.mark.parametrize(
    "text", ["Within 30 DAYS.", "5 m\u0131nutes", "5 M\u0130NUTES", "two wee\u212as", "twenty-four hrs\u2019"]
)
def test_unit_word_test_on_examples(text: str) -> None:
    _assert_unit_test_sound(text)


def _needle_pairs(
    compiled: channel_text._Compiled,
) -> list[tuple[re.Pattern[str] | None, tuple[str, ...] | None]]:
    return [
        (compiled.forms, compiled.forms_needles),
        (compiled.chat, compiled.chat_needles),
        (compiled.day, compiled.day_needles),
        (compiled.day_range, compiled.day_needles),
        (compiled.clock, compiled.clock_needles),
    ]


VOCABS = [
    ChannelVocabulary(
        **{
            k: v
            for k, v in pack.rules["contact.too-few-channels"].items()
            if k in ChannelVocabulary.model_fields
        }
    )
    for pack in CATALOG.languages.values()
    if "contact.too-few-channels" in pack.rules
]
CHANNEL_WORDS = sorted(
    {
        w
        for v in VOCABS
        for p in (*v.form_phrases, *v.chat_phrases, *v.day_names, *v.round_the_clock, *v.range_words)
        for w in p.split()
    }
)
CHANNEL_TEXTS = st.lists(
    st.tuples(
        st.sampled_from(CHANNEL_WORDS).map(lambda w: w.upper() if len(w) % 3 == 0 else w),
        st.sampled_from([" ", "\n", "  ", "-", "–", "s ", ". ", "ſ", "\u0131", "\u0130", "\u212a", "’"]),
    ),
    max_size=20,
).map(lambda pairs: "".join(w + sep for w, sep in pairs))


def _assert_needles_sound(text: str) -> None:
    """A pattern whose needles are all missing matches nothing, and channels are unchanged."""
    folded = phrases._folded(text)
    for vocab in VOCABS:
        for pattern, needles in _needle_pairs(channel_text._compiled_for(vocab)):
            if pattern is not None and not phrases._may_match(folded, needles):
                assert pattern.search(text) is None
        fast = channel_text.find_channels(text, vocab)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(channel_text, "_may_match", lambda folded, needles: True)
            assert fast == channel_text.find_channels(text, vocab)


@settings(max_examples=300, deadline=None)
@given(CHANNEL_TEXTS)
def test_needles_skip_only_scans_that_cannot_match(text: str) -> None:
    _assert_needles_sound(text)


@pytest.mark.parametrize(
    "text",
    [
        "Use our LIVE\nCHAT or the Help  Centre.",
        "Open Mon\u2013Fri and ſat 9 am\u20135 pm, round the clock online.",
        "Write via the ſupport portal or the \u0130n-app chat; we are open 24/7.",
        "\u017faturday through \u017funday",
        "Ask on the \u017fupport \u017fite or via \u017fupport.",
        "Chat via L\u0130VE CHAT or \u0130N-APP CHAT",
    ],
)
def test_needles_on_examples(text: str) -> None:
    _assert_needles_sound(text)


RESPONSE = contact.ResponseTimeParams(
    **{
        k: v
        for k, v in EN.rules["contact.missing-response-time"].items()
        if k in contact.ResponseTimeParams.model_fields
    }
)
FIXED_WORDS = sorted({w for p in RESPONSE.fixed_commitments for w in p.split()} | {"within", "2", "days"})


def _assert_fixed_needles_sound(text: str) -> None:
    fixed = phrases.maybe_pattern(RESPONSE.fixed_commitments)
    assert fixed is not None
    needles = phrases._cached_needles(tuple(RESPONSE.fixed_commitments))
    if not phrases._may_match(phrases._folded(text), needles):
        assert fixed.search(text) is None
    fast = contact.commitments(text, RESPONSE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(commitments, "_may_match", lambda folded, needles: True)
        assert fast == contact.commitments(text, RESPONSE)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FIXED_WORDS), st.sampled_from([" ", "\n", "  ", "Y ", "\u0131", "\u017f"])),
        max_size=15,
    ).map(lambda pairs: "".join(w + sep for w, sep in pairs))
)
def test_fixed_commitment_needles_are_sound(text: str) -> None:
    _assert_fixed_needles_sound(text)


@pytest.mark.parametrize(
    "text",
    ["We answer the SAME\nDAY.", "We reply w\u0131thin the hour.", "By the end of the next business day."],
)
def test_fixed_commitment_needles_on_examples(text: str) -> None:
    _assert_fixed_needles_sound(text)


DATE_PIECES = sorted(
    {m for pack in CATALOG.languages.values() for m in pack.dates.months}
    | {
        "MAY",
        "Sept.",
        "jAn",
        "1",
        "3",
        "12",
        "31",
        "2025",
        "26",
        "-",
        "/",
        ".",
        ",",
        " ",
        "of ",
        "th",
        "ſ",
        "é",
    }
)


def _assert_month_test_sound(text: str) -> None:
    for pack in CATALOG.languages.values():
        months = tuple(sorted(pack.dates.months.items()))
        if not dates._may_name_month(text, months):
            _, mdy, dmy, month_year, _ = dates._patterns(months)
            assert all(p.search(text) is None for p in (mdy, dmy, month_year))
        fast = dates.find_dates(text, pack.dates)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(dates, "_may_name_month", lambda text, months: True)
            assert fast == dates.find_dates(text, pack.dates)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(DATE_PIECES), max_size=12).map(" ".join))
def test_month_test_keeps_every_date(text: str) -> None:
    _assert_month_test_sound(text)


@pytest.mark.parametrize(
    "text",
    [
        "Effective MAY 1, 2026",
        "1. März 2025",
        "Updated 2025-03-01 and 03/04/2025",
        "Sept. 9th, 2020",
        "\u017fep 1, 2026",
    ],
)
def test_month_test_on_examples(text: str) -> None:
    _assert_month_test_sound(text)
