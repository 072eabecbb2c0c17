from __future__ import annotations

import datetime as dt

import pytest

from policylint.dates import effective_dates, find_dates, months_between
from policylint.packs import DatesVocabulary
from policylint.parsers import parse

MONTHS = {"january": 1, "march": 3, "april": 4, "may": 5, "november": 11, "nov": 11, "august": 8}
EN = DatesVocabulary(months=MONTHS, effective_markers=["effective", "last updated"])
DMY = DatesVocabulary(months=MONTHS, effective_markers=["effective"], numeric_order="DMY")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on 2026-03-01 we", dt.date(2026, 3, 1)),
        ("on March 1, 2026 we", dt.date(2026, 3, 1)),
        ("on 1 March 2026 we", dt.date(2026, 3, 1)),
        ("on 1st of March, 2026 we", dt.date(2026, 3, 1)),
        ("on 12. august 2026", dt.date(2026, 8, 12)),
        ("on 01.03.2026 we", dt.date(2026, 3, 1)),
        ("since Nov. 3, 2025", dt.date(2025, 11, 3)),
        ("updated May 2026", dt.date(2026, 5, 1)),
        ("on 13/04/2025", dt.date(2025, 4, 13)),
    ],
)
def test_written_date_forms_are_parsed(text: str, expected: dt.date) -> None:
    found = find_dates(text, EN)
    assert [m.date for m in found] == [expected]


def test_numeric_slash_dates_are_ambiguous_in_english_but_not_in_dmy_languages() -> None:
    (mention,) = find_dates("Effective 03/04/2025.", EN)
    assert mention.ambiguous and mention.readings == (dt.date(2025, 3, 4), dt.date(2025, 4, 3))
    (dmy,) = find_dates("Gældende 03/04/2025.", DMY)
    assert dmy.date == dt.date(2025, 4, 3)
    assert not find_dates("same day 04/04/2025", EN)[0].ambiguous


def test_version_numbers_and_modal_may_are_not_dates() -> None:
    assert find_dates("see section 1.2.3 and version 2.10.4", EN) == []
    assert find_dates("we may 2026 stop", EN) == []


def test_effective_date_needs_a_marker_or_front_matter() -> None:
    doc = parse("# Policy\n\nLast updated: April 20, 2023\n\nFounded on 1 January 2001.\n", "markdown")
    found = effective_dates(doc, EN)
    assert [e.date for e in found] == [dt.date(2023, 4, 20)]
    doc = parse("---\nupdated: 2025-01-02\n---\n# Policy\n\nText.\n", "markdown")
    assert [e.date for e in effective_dates(doc, EN)] == [dt.date(2025, 1, 2)]
    doc = parse("# Policy\n\nFounded on 1 January 2001.\n", "markdown")
    assert effective_dates(doc, EN) == []


def test_effective_date_under_a_marked_heading() -> None:
    doc = parse("# Policy\n\n## Effective date\n\n1 March 2026\n", "markdown")
    assert [e.date for e in effective_dates(doc, EN)] == [dt.date(2026, 3, 1)]


def test_months_between() -> None:
    assert months_between(dt.date(2025, 11, 23), dt.date(2026, 11, 23)) == 12
    assert months_between(dt.date(2025, 11, 24), dt.date(2026, 11, 23)) == 11


def test_a_bare_date_under_the_title_is_the_effective_date() -> None:
    doc = parse(
        "# Privacy Policy\n\nNovember 9, 2020\n\nWe care about privacy since 1 March 2001.\n", "markdown"
    )
    assert [e.date for e in effective_dates(doc, EN)] == [dt.date(2020, 11, 9)]
    later = parse("# P\n\nIntro.\n\nMore.\n\nNovember 9, 2020\n", "markdown")
    assert effective_dates(later, EN) == []


def test_an_ambiguous_effective_date_is_still_the_effective_date() -> None:
    doc = parse("# Policy\n\nEffective 03/04/2024\n", "markdown")
    (found,) = effective_dates(doc, EN)
    assert found.date == dt.date(2024, 3, 4)  # the earlier reading, so staleness is never understated
