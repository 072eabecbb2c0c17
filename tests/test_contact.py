"""contact.*: the channel extractor on its own (kinds, positions, precision) and the three rules."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, TODAY
from policylint import check_text, load_document
from policylint.checks.contact import ContactChannelsParams, ResponseTimeParams, commitments
from policylint.config import Config
from policylint.extract.channel_text import REACH_KINDS, ChannelVocabulary, find_channels
from policylint.extract.channels import extract_channels
from policylint.extract.periods import PeriodVocabulary, find_periods
from policylint.extract.phrases import sentence_spans
from policylint.packs import load_catalog
from policylint.parsers import parse

CATALOG = load_catalog()
EN = CATALOG.languages["en"]
VOCAB = ChannelVocabulary(**EN.rules["contact.too-few-channels"])


def kinds(text: str) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in find_channels(text, VOCAB)]


def rules(
    text: str, select: str = "contact", fmt: str = "markdown", **config: Any
) -> list[tuple[str, int, str]]:
    # These texts have no title naming their kind: hold them to the customer-service profile, as a
    # shop's config would (an unrecognised document gets no contact rules, see test_profile_detection).
    config.setdefault("default_profile", "customer-service")
    report = check_text(text, fmt, Config(select=[select], today=TODAY, **config))
    return [(f.rule, f.line, f.message) for f in report.findings]


# --- the extractor ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Email help@juniperthread.example today.", [("email", "help@juniperthread.example")]),
        ("Call +1 503 555 0142 now.", [("phone", "+1 503 555 0142")]),
        ("Call (503) 555-0142.", [("phone", "(503) 555-0142")]),
        ("Ring 503-555-0142 or 503.555.0142.", [("phone", "503-555-0142"), ("phone", "503.555.0142")]),
        ("Our London office: 020 7946 0018.", [("phone", "020 7946 0018")]),
        ("In Denmark: +45 33 12 34 56.", [("phone", "+45 33 12 34 56")]),
        ("Freephone 1-800-555-0199.", [("phone", "1-800-555-0199")]),
        ("UK: +44 (0)20 7946 0018.", [("phone", "+44 (0)20 7946 0018")]),
        ("Call 555 0100 any time.", [("phone", "555 0100")]),
        (
            "Post: Juniper & Thread, 418 Alder Street, Portland, OR 97204, USA.",
            [("postal", "418 Alder Street, Portland, OR 97204")],
        ),
        ("Write to PO Box 1234, Springfield.", [("postal", "PO Box 1234")]),
        ("Harbour Books, 12 Quay Street, Bristol BS1 4DJ.", [("postal", "12 Quay Street, Bristol BS1 4DJ")]),
        ("Use our contact form.", [("web", "contact form")]),
        ("Visit our Help Centre.", [("web", "Help Centre")]),
        ("Chat with us in the app.", [("chat", "Chat with us")]),
        ("Try live chat.", [("chat", "live chat")]),
        ("Go to https://example.com/contact.", [("web", "https://example.com/contact")]),
        ("Contact us at https://example.com/x for anything.", [("web", "https://example.com/x")]),
        ("Read https://example.com/privacy first.", [("url", "https://example.com/privacy")]),
        ("Open Monday to Friday, 9 am to 5 pm.", [("hours", "Monday to Friday, 9 am to 5 pm")]),
        ("Open Mon–Fri 9:00–17:00.", [("hours", "Mon–Fri 9:00–17:00")]),
        ("Saturdays 10:00-14:00 only.", [("hours", "Saturdays 10:00-14:00")]),
        ("We answer 24/7.", [("hours", "24/7")]),
    ],
)
def test_extractor_finds_each_kind(text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Your order 123-456-7890 ships on 2026-11-23.",
        "Order #5035550142 was refunded.",
        "Reference 020 7946 0018 is on your invoice.",
        "It costs $1,234.56, € 49.99 or 1.000.000 kr.",
        "Between 2019 2020 and 1998-2024 we grew.",
        "Dated 03/04/2025 and 12.03.2026.",
        "Version 1.2.3 runs on 192.168.0.1.",
        "See 45 CFR 164.520 and 15 U.S.C. 7701-7713.",
        "Prices range 9.99–19.99 per item.",
        "We ship 3 ways and 30 Days Later.",
        "Fax: +1 503 555 0199.",
    ],
)
def test_dates_prices_order_numbers_and_years_are_not_channels(text: str) -> None:
    assert [k for k, _ in kinds(text) if k != "url"] == []


def test_contact_form_versus_unrelated_url() -> None:
    found = kinds("Read our terms at https://example.com/terms. Questions go to https://example.com/support.")
    assert found == [("url", "https://example.com/terms"), ("web", "https://example.com/support")]


def test_phone_glued_to_following_time_is_trimmed() -> None:
    assert kinds("Call 503-555-0142 9 am to 5 pm.") == [
        ("phone", "503-555-0142"),
        ("hours", "9 am to 5 pm"),
    ]


def test_channel_positions_map_to_source_lines_and_columns() -> None:
    source = (
        "# Contact us\n\n"
        "You can reach us:\n\n"
        "- Email: *help@shop.example*\n"
        "- Phone: +1 503 555 0142, Monday to Friday, 9 am to 5 pm.\n"
    )
    document = parse(source, "markdown", "p.md")
    found = {c.kind: c for c in extract_channels(document, VOCAB)}
    assert set(found) == {"email", "phone", "hours"}
    where = {k: document.location(*c.source_range()) for k, c in found.items()}
    assert (where["email"].line, where["email"].column, where["email"].end_column) == (5, 11, 28)
    assert (where["phone"].line, where["phone"].column, where["phone"].end_column) == (6, 10, 25)
    assert source.splitlines()[5][where["hours"].column - 1 : where["hours"].end_column - 1] == (
        "Monday to Friday, 9 am to 5 pm"
    )
    assert found["email"].section.title == "Contact us"


def test_link_targets_count_and_point_at_the_link_text() -> None:
    source = "# Help\n\nWrite to [our team](mailto:Team@Shop.example) or [call us](tel:+15035550142).\n"
    document = parse(source, "markdown", "p.md")
    found = extract_channels(document, VOCAB)
    assert [(c.kind, c.value, c.text, c.hidden) for c in found] == [
        ("email", "team@shop.example", "our team", True),
        ("phone", "+15035550142", "call us", True),
    ]
    loc = document.location(*found[0].source_range())
    assert (loc.line, loc.column, loc.end_column) == (3, 11, 19)


def test_link_targets_in_html() -> None:
    source = '<h2>Contact</h2>\n<p><a href="mailto:help@shop.example">Email us</a> or see <a href="/support">help</a>.</p>\n'
    document = parse(source, "html", "p.html")
    found = [(c.kind, c.value, c.text) for c in extract_channels(document, VOCAB)]
    assert found == [("email", "help@shop.example", "Email us"), ("web", "/support", "help")]


def test_a_visible_address_linked_to_itself_counts_once() -> None:
    document = parse("# C\n\n[help@shop.example](mailto:help@shop.example)\n", "markdown", "p.md")
    assert [c.kind for c in extract_channels(document, VOCAB)] == ["email"]


def test_sentence_spans_skip_abbreviations() -> None:
    text = "Call us, e.g. on Mon. Then write to 12 Main St. Springfield. Done!"
    pieces = [text[s:e] for s, e in sentence_spans(text)]
    assert pieces == ["Call us, e.g. on Mon.", "Then write to 12 Main St. Springfield.", "Done!"]


def test_periods_and_commitments() -> None:
    params = ResponseTimeParams(**EN.rules["contact.missing-response-time"])
    periods = PeriodVocabulary(**{k: getattr(params, k) for k in PeriodVocabulary.model_fields})
    found = find_periods("within 2 business days, thirty (30) days, one month, 24 hours, 3-5 days", periods)
    assert [(p.text, p.amount, p.business, p.is_range) for p in found] == [
        ("2 business days", 2, True, False),
        ("thirty (30) days", 30, False, False),
        ("one month", 1, False, False),
        ("24 hours", 24, False, False),
        ("3-5 days", 5, False, True),
    ]
    assert found[1].same_length(found[2])  # 30 days and one month
    text = "We answer within one month, no later than 14 days, by the next business day. Open 7 days a week."
    assert [text[s:e] for s, e in commitments(text, params)] == [
        "within one month",
        "no later than 14 days",
        "next business day",
    ]


# --- contact.too-few-channels ------------------------------------------------------------


def test_too_few_channels_names_what_was_found() -> None:
    text = (
        "# Service\n\n## Contact us\n\nEmail help@shop.example. We are open Monday to Friday, 9 am to 5 pm.\n"
    )
    ((rule, line, message),) = rules(text, "contact.too-few-channels")
    assert rule == "contact.too-few-channels" and line == 3
    assert "only email" in message and "a phone number" in message and "(1 of at least 2 ways)" in message


def test_two_channel_kinds_are_enough_and_min_is_configurable() -> None:
    text = "# Service\n\n## Contact us\n\nEmail help@shop.example or use live chat.\n"
    assert rules(text, "contact.too-few-channels") == []
    config: dict[str, Any] = {"params": {"contact.too-few-channels": {"min_channels": 3}}}
    ((_, _, message),) = rules(text, "contact.too-few-channels", **config)
    assert "only email and chat" in message


def test_too_few_channels_only_where_customers_are_invited_to_get_in_touch() -> None:
    """(Documents of the other-policy profile, such as a security page, are not checked at all.)"""
    assert (
        rules(
            "# Juniper & Thread\n\nWe sell clothes. Orders: orders@shop.example.\n",
            "contact.too-few-channels",
        )
        == []
    )
    ((_, line, message),) = rules(
        "# Juniper & Thread\n\nWe sell clothes.\n\nIf in doubt, contact us at orders@shop.example.\n",
        "contact.too-few-channels",
    )
    assert line == 5 and "only email" in message


def test_hours_and_plain_urls_are_not_channels() -> None:
    text = "# Service\n\n## Contact us\n\nWe are open 24/7. Read https://shop.example/terms.\n"
    ((_, _, message),) = rules(text, "contact.too-few-channels")
    assert "no concrete channel" in message and "(0 of at least 2 ways)" in message


# --- contact.no-concrete-channel ---------------------------------------------------------


def test_contact_section_without_channel_points_at_its_heading() -> None:
    text = "# Policy\n\nWe sell books.\n\n## Contact\n\nQuestions may be submitted via the website.\n"
    assert rules(text, "contact.no-concrete-channel") == [
        (
            "contact.no-concrete-channel",
            5,
            "The “Contact” section gives no concrete way to reach you: add an email address, phone number, "
            "postal address, or a link to a contact form or chat.",
        )
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Send questions to help@shop.example.",
        "Questions? [Send us a note]({{ site.email_support }}).",
        "See https://shop.example/anything for ways to reach us.",
        "Use the contact form on our website.",
        "### Phone\n\nCall +1 503 555 0142.",
    ],
)
def test_any_concrete_channel_in_the_section_or_below_satisfies_it(body: str) -> None:
    assert rules(f"# Policy\n\n## Contact us\n\n{body}\n", "contact.no-concrete-channel") == []


def test_empty_and_non_contact_sections_are_left_alone() -> None:
    assert (
        rules("# Policy\n\n## Contact\n\n## Returns\n\nSend it back.\n", "contact.no-concrete-channel") == []
    )


def test_the_document_title_is_not_the_contact_section() -> None:
    """ "# Customer Service Policy" names the document; the finding belongs to its "## Contact"."""
    text = (
        "# Customer Service Policy\n\n## General terms\n\nWe answer every enquiry.\n\n"
        "## Contact\n\nQuestions may be submitted via the website.\n"
    )
    assert [(rule, line) for rule, line, _ in rules(text)] == [
        ("contact.missing-response-time", 7),
        ("contact.no-concrete-channel", 7),
        ("contact.too-few-channels", 7),
    ]


def test_nested_contact_sections_are_reported_once() -> None:
    text = "# Policy\n\n## Contact us\n\nWe are happy to help.\n\n### Customer service\n\nAsk us anything.\n"
    assert [line for _, line, _ in rules(text, "contact.no-concrete-channel")] == [3]


# --- contact.missing-response-time -------------------------------------------------------


def test_missing_response_time_points_at_the_complaints_heading() -> None:
    text = "# Policy\n\nReturn items within 30 days.\n\n## Complaints\n\nTell us what went wrong and we will fix it.\n"
    ((rule, line, message),) = rules(text, "contact.missing-response-time")
    assert rule == "contact.missing-response-time" and line == 5 and "“Complaints”" in message


@pytest.mark.parametrize(
    "sentence",
    [
        "We reply within 2 business days.",
        "You will get an answer within one month.",
        "Our team responds no later than 14 days after your message.",
        "We call you back the next business day.",
    ],
)
def test_a_concrete_response_time_satisfies_it(sentence: str) -> None:
    text = f"# Policy\n\n## Returns\n\nReturn items within 30 days.\n\n## Complaints\n\nTell us what went wrong.\n\n## Service\n\n{sentence}\n"
    assert rules(text, "contact.missing-response-time") == []


def test_a_returns_window_is_not_a_response_time() -> None:
    text = "# Policy\n\n## Returns\n\nYou can return items within 30 days.\n\n## Contact us\n\nEmail help@shop.example.\n"
    assert [line for _, line, _ in rules(text, "contact.missing-response-time")] == [7]


def test_response_time_trigger_phrase_without_section() -> None:
    text = "# Terms\n\nIf you need help, contact customer support by email.\n"
    ((_, line, message),) = rules(text, "contact.missing-response-time")
    assert line == 3 and "“contact customer support”" in message
    table = "# Data\n\n| category | use |\n|---|---|\n| Customer service interactions | support |\n"
    assert rules(table, "contact.missing-response-time") == []


# --- languages, vocabulary and examples -------------------------------------------------


@pytest.mark.parametrize("lang", sorted(CATALOG.languages))
def test_the_two_channel_rules_share_one_vocabulary(lang: str) -> None:
    """The extractor's vocabulary is listed under both rules in each pack: the copies must not drift."""
    pack = CATALOG.languages[lang]
    first = {k: v for k, v in pack.rules["contact.too-few-channels"].items() if k != "message"}
    # other_party_titles is the second rule's own (headings about reaching a regulator).
    second = {
        k: v
        for k, v in pack.rules["contact.no-concrete-channel"].items()
        if k not in ("message", "other_party_titles")
    }
    assert {k: v for k, v in first.items() if k != "min_channels"} == second
    assert set(second) == set(ChannelVocabulary.model_fields)
    assert set(ContactChannelsParams.model_fields) - set(first) == {"min_channels"}


@pytest.mark.parametrize("lang", sorted(CATALOG.languages))
def test_period_vocabulary_is_the_same_everywhere(lang: str) -> None:
    pack = CATALOG.languages[lang]
    keys = PeriodVocabulary.model_fields
    response = pack.rules["contact.missing-response-time"]
    for rule_id in ("consistency.return-window", "consistency.refund-timing"):
        assert {k: pack.rules[rule_id].get(k) for k in keys} == {k: response.get(k) for k in keys}
    assert response["units"] and response["number_words"]


def test_a_language_pack_without_contact_vocabulary_gets_a_note_not_findings(tmp_path: Path) -> None:
    """A user's pack without [rules."contact.*"] words: the rules stay silent, and say so once."""
    (tmp_path / "fr.toml").write_text(
        '[language]\ncode = "fr"\nname = "French"\nspacy = "en"\nstopwords = ["le", "la", "et"]\n',
        encoding="utf-8",
    )
    text = "# Service\n\n## Contact\n\nhelp@shop.example\n"
    config = Config(language="fr", rule_paths=[tmp_path], today=TODAY, profile="customer-service")
    report = check_text(text, "markdown", config)
    assert [f.rule for f in report.findings if f.rule.startswith("contact.")] == []
    (note,) = [f for f in report.findings if f.rule == "language.partial"]
    assert note.severity == "info" and note.line == 1
    assert "contact.too-few-channels" in note.message and "contact.no-concrete-channel" in note.message
    # The same words in English: the rules run and the note is gone.
    english = check_text(text, "markdown", Config(language="en", today=TODAY, profile="customer-service"))
    assert "contact.too-few-channels" in {f.rule for f in english.findings}
    assert "language.partial" not in {f.rule for f in english.findings}


@pytest.mark.parametrize("name", ["customer-service-policy.md", "returns-policy.txt"])
def test_good_examples_have_no_contact_findings(name: str) -> None:
    path = EXAMPLES / "good" / name
    report = check_text(
        path.read_text(encoding="utf-8"),
        "markdown" if name.endswith(".md") else "text",
        Config(select=["contact", "consistency"], today=TODAY),
    )
    assert report.findings == []


def test_good_example_channels() -> None:
    document = load_document(EXAMPLES / "good" / "customer-service-policy.md")
    found = {c.kind for c in extract_channels(document, VOCAB)}
    assert found >= {"email", "phone", "postal", "hours"}


# --- the real corpus ---------------------------------------------------------------------


def test_corpus_run(corpus: Path) -> None:
    """The rules run cleanly over real policies; each too-few finding is true of its document."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "policylint.cli",
            "check",
            str(corpus / "docs"),
            "--select",
            "contact,consistency",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--today",
            TODAY.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert not [f for f in findings if f["rule"].startswith("internal.")]
    too_few = [f for f in findings if f["rule"] == "contact.too-few-channels"]
    for finding in too_few:
        document = load_document(finding["path"])
        found = {c.kind for c in extract_channels(document, VOCAB)} & set(REACH_KINDS)
        assert len(found) < 2, finding
    # The refund policy links only to a support page (through a site template): a true finding.
    assert any(f["path"].endswith("basecamp/refund__index.md") for f in too_few)
    # Judged by reading: no corpus document states a commitment two different ways.
    assert [f for f in findings if f["rule"].startswith("consistency.")] == []


# --- judged false positives of the 2026-12 before-sample (bench/judged/2026-12-before.json) ---


def test_an_irish_eircode_address_is_a_postal_channel() -> None:
    assert "postal" in [k for k, _ in kinds("Merrion Road\n\nDublin 4\n\nD04 X2K5, Ireland")]
    assert "postal" not in [k for k, _ in kinds("Version 2.04 of the app")]


def test_contact_items_flattened_to_the_sections_level_count() -> None:
    text = (
        "# Privacy Policy\n\n## Contact Us\n\nYou can reach us in the following ways:\n\n"
        "## Online:\n\nUse our [form](https://example.com/help/ask) or [live chat](https://example.com/chat).\n\n"
        "## By Mail:\n\nExample Ltd, 12 Main Street, Dublin 2, D02 X285, Ireland\n"
    )
    assert rules(text, "contact.no-concrete-channel") == []
    # Without the colon the next headings are sections of their own, and the finding stays.
    alone = text.replace("following ways:", "following ways.")
    assert [r for r, _, _ in rules(alone, "contact.no-concrete-channel")] == ["contact.no-concrete-channel"]


def test_a_section_about_reaching_a_regulator_is_not_the_business_contact_section() -> None:
    text = (
        "# Privacy Policy\n\n## Contacting your Supervisory Authority\n\n"
        "You can always raise a concern with the supervisory authority where you live.\n\n"
        "## Contact us\n\nEmail privacy@example.com or write to 12 Main Street, Springfield, IL 62701.\n"
    )
    assert rules(text, "contact.no-concrete-channel") == []
