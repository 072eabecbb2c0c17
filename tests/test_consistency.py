"""consistency.*: one commitment stated two ways, reported at the second place naming the first."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.checks.consistency import PeriodsParams
from policylint.config import Config
from policylint.extract.commitments import find_commitments
from policylint.packs import load_catalog
from policylint.parsers import parse

CATALOG = load_catalog()
EN = CATALOG.languages["en"]


def findings(text: str, select: str = "consistency", **config: Any) -> list[tuple[str, int, int, str]]:
    # Untitled texts: held to the customer-service profile, as a shop's config would.
    config.setdefault("default_profile", "customer-service")
    report = check_text(text, "markdown", Config(select=[select], today=TODAY, **config))
    return [(f.rule, f.line, f.column, f.message) for f in report.findings]


def classes(text: str) -> list[tuple[str, str, bool]]:
    spec = CATALOG.rules["consistency.return-window"]
    params = PeriodsParams(**{**spec.params, **EN.rules["consistency.return-window"]})
    found = find_commitments(parse(text, "markdown", "p.md"), params)
    return [(c.cls, c.period.text, c.qualified) for c in found]


# --- periods: which commitment a period belongs to ---------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("You can return any item within 30 days of delivery.", ("return-window", "30 days")),
        ("We offer a 30-day return policy.", ("return-window", "30-day")),
        ("You have 14 days to withdraw from the contract.", ("withdrawal", "14 days")),
        ("You may request a refund within 30 days of purchase.", ("return-window", "30 days")),
        ("We refund you within 5 business days of receiving the item.", ("refund-timing", "5 business days")),
        ("Refunds are processed within 10 days after the return arrives.", ("refund-timing", "10 days")),
        # The object of the refund claims it: never a return window (and, precision first, not compared).
        ("We will refund the return shipping cost within 14 days.", ("other", "14 days")),
        ("Refunds will be issued for returns made within 30 days.", ("return-window", "30 days")),
        ("Orders ship within 2 business days.", ("other", "2 business days")),
    ],
)
def test_a_period_belongs_to_the_nearest_commitment_before_it(
    sentence: str, expected: tuple[str, str]
) -> None:
    assert [(c, t) for c, t, _ in classes(f"# P\n\n{sentence}\n")] == [expected]


def test_refund_timing_is_not_the_return_window() -> None:
    text = "# P\n\nIf you return an item within 30 days, we will refund you within 14 days.\n"
    assert classes(text) == [("return-window", "30 days", False), ("refund-timing", "14 days", False)]


@pytest.mark.parametrize(
    "sentence",
    [
        "You can cancel 7 days before renewal.",
        "Your data is deleted 30 days after cancellation.",
        "We keep invoices for 6 years.",
        "Full refund within 30 days.",
    ],
)
def test_periods_about_something_else_are_not_commitments(sentence: str) -> None:
    assert [c for c, _, _ in classes(f"# P\n\n{sentence}\n") if c != "other"] == []


def test_scoped_and_listed_periods_are_never_compared() -> None:
    text = (
        "# Returns\n\nYou can return items within 30 days.\n\n"
        "Sale items can be returned within 14 days.\n\n"
        "You can exchange an item within 60 days, or return it within 45 days.\n\n"
        "Refunds may take 7 days to appear on your bank statement.\n"
    )
    assert classes(text) == [
        ("return-window", "30 days", False),
        ("return-window", "14 days", True),
        ("return-window", "60 days", True),
        ("return-window", "45 days", True),
        ("refund-timing", "7 days", True),
    ]
    assert findings(text) == []


# --- consistency.return-window / consistency.refund-timing -------------------------------


def test_return_window_finding_names_both_places() -> None:
    text = (
        "# Returns\n\nYou can return any item within 30 days of delivery.\n\n"
        "## FAQ\n\nHow long do I have? You have 14 days to return an item.\n"
    )
    assert findings(text) == [
        (
            "consistency.return-window",
            7,
            30,
            "The return window here is 14 days, but line 3 says 30 days (“You can return any item within 30 "
            "days of delivery.”): state one period, or say what each applies to.",
        )
    ]


def test_refund_timing_differs_but_return_window_agrees() -> None:
    text = (
        "# Returns\n\nReturn items within 30 days. We refund you within 5 business days.\n\n"
        "## FAQ\n\nYou can send an item back within 30 days. Your refund will arrive within 10 business days.\n"
    )
    assert [(rule, line) for rule, line, _, _ in findings(text)] == [("consistency.refund-timing", 7)]


def test_same_period_in_other_words_is_consistent() -> None:
    text = (
        "# Returns\n\nReturn within thirty (30) days.\n\n## More\n\nReturns are accepted within one month.\n"
    )
    assert findings(text) == []


def test_statutory_withdrawal_and_voluntary_returns_are_different_commitments() -> None:
    text = (
        "# Returns\n\nYou have a statutory right to withdraw within 14 days of delivery. "
        "In addition, we offer a 30-day return policy.\n\n## FAQ\n\nYou can return items within 30 days.\n"
    )
    assert findings(text) == []


def test_business_and_calendar_days_are_not_compared() -> None:
    text = "# Refunds\n\nWe refund you within 10 business days.\n\n## FAQ\n\nWe refund you within 14 days.\n"
    assert findings(text) == []


def test_each_different_period_is_reported_once() -> None:
    text = (
        "# Returns\n\nReturn within 30 days.\n\nReturn within 14 days.\n\n"
        "Return within 14 days.\n\nReturn within 60 days.\n"
    )
    assert [(line, message.split(",")[0]) for _, line, _, message in findings(text)] == [
        (5, "The return window here is 14 days"),
        (9, "The return window here is 60 days"),
    ]


# --- consistency.effective-date ----------------------------------------------------------


def test_two_last_updated_dates() -> None:
    text = (
        "# Privacy\n\nLast updated: 3 March 2025\n\nText.\n\n## Contact\n\nEmail us.\n\n"
        "This policy was last updated on June 1, 2024.\n"
    )
    assert findings(text, "consistency.effective-date") == [
        (
            "consistency.effective-date",
            11,
            33,
            "This date (June 1, 2024) differs from the one on line 3 (3 March 2025): state one effective or "
            "last-updated date, and move older dates into a version history.",
        )
    ]


def test_front_matter_and_text_must_agree() -> None:
    same = "---\nlast_updated: 2025-03-03\n---\n# Privacy\n\nLast updated: 3 March 2025\n"
    assert findings(same, "consistency.effective-date") == []
    differ = same.replace("2025-03-03", "2024-03-03")
    assert [(line, col) for _, line, col, _ in findings(differ, "consistency.effective-date")] == [(6, 15)]


def test_effective_and_updated_dates_may_differ() -> None:
    text = "# Privacy\n\nEffective: 1 March 2025. Last updated: 1 February 2025.\n"
    assert findings(text, "consistency.effective-date") == []


@pytest.mark.parametrize(
    "history",
    [
        "## Revision history\n\n- Updated 1 June 2024: added cookies.\n- Updated 1 January 2023: first version.\n",
        "## Changes\n\nPrevious version: last updated on 1 June 2024.\n",
    ],
)
def test_version_history_is_not_a_contradiction(history: str) -> None:
    text = f"# Privacy\n\nLast updated: 3 March 2025\n\nText.\n\n{history}"
    assert findings(text, "consistency.effective-date") == []


# --- consistency.contact-email -----------------------------------------------------------


def test_privacy_and_support_addresses_are_normal() -> None:
    text = (
        "# Policy\n\n## Contact\n\nEmail support@shop.example. For privacy questions, write to "
        "privacy@shop.example. Press: press@shop.example.\n\n## Returns\n\nEmail support@shop.example.\n"
    )
    assert findings(text, "consistency.contact-email") == []


def test_two_support_addresses() -> None:
    text = "# Policy\n\n## Contact\n\nEmail support@shop.example.\n\n## Returns\n\nEmail customerservice@shop.example.\n"
    assert findings(text, "consistency.contact-email") == [
        (
            "consistency.contact-email",
            9,
            7,
            "Customers are told to write to customerservice@shop.example here, but line 5 gives "
            "support@shop.example for the same purpose: use one address, or say what each is for.",
        )
    ]


def test_the_same_contact_us_sentence_with_different_addresses() -> None:
    text = (
        "# Policy\n\nContact us at jane@shop.example.\n\n## Complaints\n\nContact us at bob@shop.example.\n"
    )
    assert [line for _, line, _, _ in findings(text, "consistency.contact-email")] == [7]
    scoped = text.replace("Contact us at bob", "For press enquiries, contact us at bob")
    assert findings(scoped, "consistency.contact-email") == []


def test_addresses_behind_links_count() -> None:
    text = "# Policy\n\n[Email us](mailto:support@shop.example).\n\nWrite to [our team](mailto:help@shop.example).\n"
    assert [(line, col) for _, line, col, _ in findings(text, "consistency.contact-email")] == [(5, 11)]


@pytest.mark.parametrize("lang", sorted(CATALOG.languages))
def test_the_commitment_vocabulary_is_shared_by_both_period_rules(lang: str) -> None:
    rules = CATALOG.languages[lang].rules
    assert rules["consistency.return-window"] == rules["consistency.refund-timing"]
    assert rules["consistency.return-window"]["commitments"]["return-window"]


def test_take_effect_in_a_sentence_is_an_effective_date_not_an_update() -> None:
    """LinkedIn's developer terms: 'Last revised on 13 December 2022' and 'these updated Terms take
    effect on 13 January 2023' are two different facts (judged false positive, 2026-12)."""
    text = (
        "# Developer Terms\n\nLast revised on December 13, 2022.\n\n"
        "For existing developers, these updated Terms take effect on January 13, 2023.\n"
    )
    assert findings(text, "consistency.effective-date") == []


def test_a_bundled_addendum_with_its_own_date_is_info() -> None:
    """A file that bundles an addendum ('This Data Transfer Addendum is effective from …') holds
    dates of several documents: which governs what cannot be told, so it is said as info."""
    text = (
        "# Data Processing Terms\n\nEffective Date: August 23, 2025\n\nText.\n\n"
        "## Data Transfer Addendum\n\nThis Data Transfer Addendum is effective from 7 September 2023.\n"
    )
    report = check_text(
        text,
        "markdown",
        Config(select=["consistency.effective-date"], today=TODAY, default_profile="customer-service"),
    )
    assert [(f.rule, f.severity.value) for f in report.findings] == [("consistency.effective-date", "info")]
    plain = text.replace("This Data Transfer Addendum is effective from", "This policy is effective from")
    report = check_text(
        plain,
        "markdown",
        Config(select=["consistency.effective-date"], today=TODAY, default_profile="customer-service"),
    )
    assert [(f.rule, f.severity.value) for f in report.findings] == [
        ("consistency.effective-date", "warning")
    ]
