"""Content that is there is recognised (issue 16): dispute headings, tables and definition lists as
section content, and purposes, rights and recipients stated in plain words, lists or tables."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, TODAY
from policylint import check_text
from policylint.config import Config


def _missing_parts(text: str, profile: str, fmt: str = "markdown") -> list[str]:
    config = Config(today=TODAY, profile=profile, select=["sections.missing-part"])
    return [f.message for f in check_text(text, fmt, config).findings]


_TERMS = """# Terms of service

## Ending the agreement

You can terminate your account at any time.

## Liability

We are not liable for indirect losses.

## Changes

We tell you by email 30 days before a change takes effect.

## Contact

Write to help@example.com.

## {title}

{body}
"""


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Choice of law", "These terms follow the law of the State of New York."),
        ("Venue", "Any claim must be brought in the state or federal courts in New York County."),
        ("Arbitration", "Claims are settled by a single arbitrator."),
    ],
)
def test_dispute_resolution_headings_are_recognised(title: str, body: str) -> None:
    assert _missing_parts(_TERMS.format(title=title, body=body), "terms") == []


def test_terms_without_any_dispute_clause_are_still_reported() -> None:
    text = _TERMS.format(title="Fees", body="Plans cost 10 dollars a month.")
    (message,) = _missing_parts(text, "terms")
    assert "disputes" in message


_PRIVACY = """# Privacy notice

Last updated: 1 November 2026

## What we collect

We collect your name and address.

## What we do with it

{purposes}

## Who gets it

{sharing}

## How long we keep it

We keep it for 5 years.

## Your say

{rights}

## Changes

We email you before we change this notice.

## Contact

Write to privacy@example.com.
"""


def test_plain_statements_of_purposes_rights_and_recipients_count() -> None:
    text = _PRIVACY.format(
        purposes="We use them to send your order.",
        sharing="We share it with payment processors.",
        rights="Ask us to see or delete your data.",
    )
    assert _missing_parts(text, "privacy-notice") == []


def test_purposes_rights_and_recipients_in_a_table_count() -> None:
    text = _PRIVACY.format(
        purposes="| Data | What for |\n|---|---|\n| Address | We use it for delivery |",
        sharing="| Data | Given to |\n|---|---|\n| Card number | Our payment provider |",
        rights="| You can | How |\n|---|---|\n| See or delete your data | Email us |",
    )
    assert _missing_parts(text, "privacy-notice") == []


@pytest.mark.parametrize(
    ("language", "purposes", "sharing", "rights"),
    [
        (
            "de",
            "Wir nutzen Ihre Adresse, um die Bestellung zu liefern.",
            "Wir geben die Kartennummer an unseren Zahlungsdienstleister weiter.",
            "Bitten Sie uns, Ihre Daten zu zeigen oder zu löschen.",
        ),
        (
            "da",
            "Vi bruger den til at sende din ordre.",
            "Vi deler den med vores betalingsudbyder.",
            "Du kan bede os om at se eller slette dine oplysninger.",
        ),
        (
            "nb",
            "Vi bruker den til å sende bestillingen.",
            "Vi deler den med betalingsleverandøren vår.",
            "Du kan be oss om å se eller slette dine opplysninger.",
        ),
    ],
)
def test_plain_statements_count_in_other_languages(
    language: str, purposes: str, sharing: str, rights: str
) -> None:
    config = Config(
        today=TODAY, profile="privacy-notice", select=["sections.missing-part"], language=language
    )
    body = f"# T\n\n## A\n\n{purposes}\n\n## B\n\n{sharing}\n\n## C\n\n{rights}\n"
    found = {f.message for f in check_text(body, "markdown", config).findings}
    plain = check_text("# T\n\n## A\n\nHallo.\n", "markdown", config).findings
    # The same document without the three statements misses each of the three parts.
    assert len(plain) - len(found) >= 3


def test_a_section_holding_only_an_html_table_is_not_empty() -> None:
    text = (
        "# Privacy notice\n\n## Lawful bases\n\n<table>\n  <tr><th>Purpose</th><th>Basis</th></tr>\n"
        "  <tr><td>Delivery</td><td>Contract</td></tr>\n</table>\n\n## Definitions\n\n"
        "<dl>\n  <dt>Account</dt><dd>Your login.</dd>\n</dl>\n\n## Empty\n\n## Contact\n\nEmail us.\n"
    )
    report = check_text(text, "markdown", Config(today=TODAY, select=["sections.empty-section"]))
    assert [f.line for f in report.findings] == [16]


def test_text_of_an_html_table_in_markdown_keeps_its_position() -> None:
    text = "# T\n\n## Bases\n\n<table>\n  <tr><td>We shall reply.</td></tr>\n</table>\n"
    report = check_text(text, "markdown", Config(today=TODAY, select=["jargon.legalese"]))
    (finding,) = report.findings
    assert (finding.line, finding.column, finding.end_column) == (6, 14, 19)


def test_planted_missing_parts_of_the_example_are_still_found() -> None:
    path = EXAMPLES / "needs-work" / "privacy-notice.html"
    report = check_text(
        path.read_text(encoding="utf-8"), "html", Config(today=TODAY, select=["sections.missing-part"])
    )
    assert len(report.findings) == 5
