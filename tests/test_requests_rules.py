"""New rules from gaps a human editor flagged (issue 16): paid EU subscriptions without the
withdrawal information, refunds with no channel to request them, identity documents by email."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.config import Config

SUB = "eu.subscription-withdrawal"
REFUND = "requests.refund-without-channel"
ID = "requests.id-documents-by-email"


def _found(text: str, rule: str, **config: Any) -> list[str]:
    report = check_text(text, "markdown", Config(today=TODAY, select=[rule], **config))
    return [f.message for f in report.findings]


_PAID = "# Terms of service\n\nPremium is a monthly subscription: you pay {price} a month until you cancel.\n"


def test_paid_subscription_priced_in_euro_needs_withdrawal_information() -> None:
    (message,) = _found(_PAID.format(price="€9.99"), SUB, profile="terms")
    assert "14-day right of withdrawal" in message and "2011/83/EU" in message


def test_subscription_with_no_sign_of_the_eu_is_left_alone() -> None:
    assert _found(_PAID.format(price="$9.99"), SUB, profile="terms") == []


def test_subscription_defers_to_eu_withdrawal_right_when_the_region_is_configured() -> None:
    assert _found(_PAID.format(price="€9.99"), SUB, profile="terms", regions=["eu"]) == []


def test_free_subscription_is_not_a_paid_one() -> None:
    text = "# Terms\n\nYou can subscribe to our free newsletter. Prices are in EUR.\n"
    assert _found(text, SUB, profile="terms") == []


def test_german_abo_needs_the_widerrufsrecht() -> None:
    text = "# AGB\n\nDas Abonnement kostet 9,99 € im Monat.\n"
    assert len(_found(text, SUB, profile="terms", language="de")) == 1
    text += "\nSie haben ein Widerrufsrecht von 14 Tagen.\n"
    assert _found(text, SUB, profile="terms", language="de") == []


def test_refund_request_without_any_channel_is_reported_once() -> None:
    text = (
        "# Returns\n\n## Damaged items\n\nYou may request a refund within 30 days.\n\n"
        "## Late orders\n\nYou can also ask for a refund if the order is late.\n"
    )
    (message,) = _found(text, REFUND)
    assert "request a refund" in message


@pytest.mark.parametrize(
    "channel",
    [
        "Email refunds@example.com with your order number.",
        "Use the [refund form](https://example.com/refunds).",
        "Call us on +1 415 555 0100.",
    ],
)
def test_a_channel_in_the_section_answers_the_refund_request(channel: str) -> None:
    text = f"# Returns\n\n## Damaged items\n\nYou may request a refund within 30 days. {channel}\n"
    assert _found(text, REFUND) == []


def test_a_channel_in_the_contact_section_answers_the_refund_request() -> None:
    text = (
        "# Returns\n\n## Damaged items\n\nYou may request a refund within 30 days.\n\n"
        "## Contact us\n\nEmail help@example.com.\n"
    )
    assert _found(text, REFUND) == []


def test_identity_documents_by_plain_email_are_reported() -> None:
    text = "# Your rights\n\nTo verify your identity, email a copy of your passport to privacy@example.com.\n"
    (message,) = _found(text, ID)
    assert "passport" in message and "GDPR Art. 32" in message


@pytest.mark.parametrize(
    "text",
    [
        "# Rights\n\nNever send your passport or ID card by email.\n",
        "# Rights\n\nEmail us and we send a link to our secure upload portal for a copy of your passport.\n",
        "# Booking\n\nWe need your passport number to book the flight. We confirm by email.\n",
    ],
)
def test_identity_documents_safely_or_not_by_email_are_not_reported(text: str) -> None:
    assert _found(text, ID) == []
