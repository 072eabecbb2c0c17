"""Which profile a document is held to, and why (issue: trust on documents nobody here wrote).

A document is held to a profile's required sections only when its kind is known: named by its
title, its file name or the config. An unrecognised document gets ``generic``, which requires
nothing, and a kind inferred from the sections' content gives warnings, never errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import CORPUS, TODAY
from policylint import check_text
from policylint.cli import main
from policylint.config import Config
from policylint.engine import analyse
from policylint.parsers import parse


def _choice(text: str, path: str = "policy.md", **config: object) -> tuple[str, str]:
    document = parse(text, "markdown", path)
    _, ctx = analyse(document, Config(**config))  # type: ignore[arg-type]
    return ctx.profile_name, ctx.profile_source


@pytest.mark.parametrize(
    ("title", "profile"),
    [
        ("Cookie Policy", "cookie-policy"),
        ("Community Guidelines", "community-guidelines"),
        ("Acceptable Use Policies", "community-guidelines"),
        ("Meta Platform Terms", "developer-terms"),
        ("API Terms of Use", "developer-terms"),
        ("Data Processing Addendum", "business-agreement"),
        ("Guidelines for Legal Requests of User Data", "law-enforcement"),
        ("DMCA Takedown Policy", "copyright-policy"),
        ("Advertising Policies", "advertising-policy"),
        ("Shipping policy", "shipping-policy"),
        ("Help Center: resetting your password", "help-page"),
        ("Returns, Privacy and Contact", "returns-policy+privacy-notice"),
        ("Privacy and Cookie Policy", "privacy-notice+cookie-policy"),
    ],
)
def test_kinds_real_repositories_hold(title: str, profile: str) -> None:
    assert _choice(f"# {title}\n\nSome text.\n") == (profile, "title")


def test_unrecognised_document_is_generic_and_requires_nothing() -> None:
    text = "# Our promises to you\n\nWe answer every message.\n"
    assert _choice(text) == ("generic", "default")
    report = check_text(text, config={"today": TODAY.isoformat()})
    assert not [f for f in report.findings if f.rule.startswith("sections.")]
    assert report.files[0].profile == "generic"
    assert report.files[0].profile_source == "default"


def test_default_profile_in_config_still_forces_a_profile() -> None:
    text = "# Our promises to you\n\nWe answer every message.\n"
    assert _choice(text, default_profile="customer-service") == ("customer-service", "config")
    report = check_text(text, config={"today": TODAY.isoformat(), "default_profile": "customer-service"})
    errors = {f.rule for f in report.findings if f.severity.value == "error"}
    assert "sections.missing-returns" in errors  # the shop asked for it: certain, so an error


def test_leading_title_line_before_the_first_heading() -> None:
    text = "**Acme Terms of Service**\n\nLast updated: 1 May 2026\n\n## License; Suspension\n\nText.\n"
    assert _choice(text) == ("terms", "title")


def test_file_name_when_the_title_names_no_kind() -> None:
    text = "# Overview\n\nText.\n"
    assert _choice(text, "legal/Terms of Service.md") == ("terms", "path")
    assert _choice(text, "docs/refund-policy/index.md") == ("returns-policy", "path")
    assert _choice(text, "docs/welcome.md") == ("generic", "default")


def test_title_beats_file_name() -> None:
    assert _choice("# Cookie Policy\n\nText.\n", "privacy.md") == ("cookie-policy", "title")


def test_content_decides_only_with_strong_evidence_and_never_gives_errors() -> None:
    text = (
        "# Welcome\n\n## Information we collect\n\nYour name and email.\n\n"
        "## How we use your information\n\nTo send your order.\n\n"
        "## Who we share it with\n\nOur payment processor.\n\n"
        "## How long we keep it\n\nTwo years.\n\n## Your rights\n\nAsk us to see or delete your data.\n"
    )
    assert _choice(text) == ("privacy-notice", "content")
    report = check_text(text, config={"today": TODAY.isoformat()})
    missing = [f for f in report.findings if f.rule.startswith("sections.missing")]
    assert missing, "the parts it lacks are still reported"
    assert all(f.severity.value == "warning" for f in missing)
    # One section heading is not strong evidence.
    assert _choice("# Welcome\n\n## Your rights\n\nText.\n") == ("generic", "default")


def test_multi_kind_title_is_held_to_each_kind() -> None:
    text = "# Returns and Privacy\n\n## Returns\n\nReturn within 30 days.\n"
    report = check_text(text, config={"today": TODAY.isoformat()})
    parts = {f.message for f in report.findings if f.rule == "sections.missing-part"}
    assert any("retention" in m or "how long" in m for m in parts), parts  # a privacy-notice part
    assert any("refund" in m for m in parts), parts  # a returns-policy part


def test_outline_json_says_why(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "Trackers Policy.md"
    policy.write_text("# Overview\n\nWe use cookies. Change your cookie settings at any time.\n")
    assert main(["outline", str(policy), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["profile"], data["profile_source"]) == ("cookie-policy", "path")
    assert data["profile_evidence"] == "Trackers Policy.md"


def test_text_outline_names_the_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "welcome.md"
    policy.write_text("# Welcome\n\nHello.\n")
    assert main(["outline", str(policy)]) == 0
    assert "from the default" in capsys.readouterr().out


@pytest.mark.parametrize("language", ["da", "nb", "de", "hr", "et"])
def test_new_kinds_in_every_built_in_language(language: str) -> None:
    titles = {
        "da": ("Cookiepolitik", "Databehandleraftale"),
        "nb": ("Informasjonskapsler", "Databehandleravtale"),
        "de": ("Cookie-Richtlinie", "Auftragsverarbeitungsvertrag"),
        "hr": ("Politika kolačića", "Ugovor o obradi podataka"),
        "et": ("Küpsisepoliitika", "Andmetöötlusleping"),
    }[language]
    cookie, agreement = titles
    assert _choice(f"# {cookie}\n\nTekst.\n", language=language)[0] == "cookie-policy"
    assert _choice(f"# {agreement}\n\nTekst.\n", language=language)[0] == "business-agreement"


PLATFORMS = CORPUS.parent / "platforms" / "docs"


@pytest.mark.skipif(
    not PLATFORMS.is_dir(), reason=f"{PLATFORMS} not found (../shared/platforms beside the repository)"
)
def test_platform_documents_get_fitting_profiles(capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "check",
            str(PLATFORMS),
            "--format",
            "json",
            "--no-cache",
            "--today",
            TODAY.isoformat(),
            "--exit-zero",
        ]
    )
    report = json.loads(capsys.readouterr().out)
    for file in report["files"]:
        kind = Path(file["path"]).stem
        if kind == "Privacy Policy":
            assert file["profile"] == "privacy-notice", file["path"]
        elif kind == "Terms of Service":
            assert file["profile"] == "terms", file["path"]
        else:
            assert file["profile"] not in ("customer-service", "returns-policy"), file["path"]
    other_kinds = {
        f["path"]
        for f in report["files"]
        if Path(f["path"]).stem not in ("Privacy Policy", "Terms of Service")
    }
    section_errors = [
        f
        for f in report["findings"]
        if f["path"] in other_kinds and f["rule"].startswith("sections.") and f["severity"] == "error"
    ]
    assert section_errors == []


def _date_findings(text: str, path: str = "policy.md") -> list[tuple[str, str]]:
    report = check_text(
        text,
        config={
            "today": "2026-12-06",
            "select": ["dates.missing-effective-date", "dates.stale-effective-date"],
        },
        path=path,
    )
    return [(f.rule, f.severity.value) for f in report.findings]


def test_effective_date_duties_are_owed_to_customers() -> None:
    """A missing or stale date is a warning in a privacy notice, and advice (info) in community
    guidelines or a document of unknown kind, which make customers no promises."""
    assert _date_findings("# Privacy Policy\n\nWe collect your email.\n") == [
        ("dates.missing-effective-date", "warning")
    ]
    assert _date_findings("# Community Guidelines\n\nBe kind.\n") == [
        ("dates.missing-effective-date", "info")
    ]
    assert _date_findings("# Welcome\n\nBe kind.\n") == [("dates.missing-effective-date", "info")]
    stale = "Last updated: 1 March 2024\n\nWe collect your email.\n"
    assert _date_findings("# Privacy Policy\n\n" + stale) == [("dates.stale-effective-date", "warning")]
    assert _date_findings("# Developer Terms\n\n" + stale) == [("dates.stale-effective-date", "info")]


def test_a_month_only_date_is_as_new_as_the_months_last_day() -> None:
    """'December 2025' may mean the 31st: on 6 December 2026 it is under 12 months old."""
    assert _date_findings("# Privacy Policy\n\nLast updated: December 2025\n\nText.\n") == []
    assert _date_findings("# Privacy Policy\n\nLast updated: November 2025\n\nText.\n") == [
        ("dates.stale-effective-date", "warning")
    ]


def test_plain_language_advice_is_owed_to_consumers() -> None:
    """Legalese in developer terms or a data-processing agreement (written for businesses) is
    advice: info, not a warning (judged debatable or wrong on Meta's and LinkedIn's terms)."""
    body = "\n\nThe developer shall keep the keys secret, notwithstanding any other term herein.\n"
    select = {"select": ["jargon.legalese"], "today": "2026-12-06"}
    consumer = check_text("# Terms of Service" + body, config=select)
    business = check_text("# Developer Terms" + body, config=select)
    assert {f.severity.value for f in consumer.findings} == {"warning"}
    assert {f.severity.value for f in business.findings} == {"info"}
    assert len(consumer.findings) == len(business.findings) == 3


def test_a_notice_that_supplements_another_policy_leaves_parts_to_it() -> None:
    text = "# Thunderbird Privacy Notice\n\nWe collect crash reports. We also adhere to the Mozilla Privacy Policy.\n"
    report = check_text(text, config={"select": ["sections.missing-part"], "today": "2026-12-06"})
    assert report.findings and {f.severity.value for f in report.findings} == {"info"}
    alone = check_text(
        text.replace(" We also adhere to the Mozilla Privacy Policy.", ""),
        config={"select": ["sections.missing-part"], "today": "2026-12-06"},
    )
    assert {f.severity.value for f in alone.findings} == {"warning"}


def test_parts_about_goods_are_not_asked_of_a_refund_policy_for_a_service() -> None:
    """Basecamp's refund policy (a software subscription) was asked for the condition of returned
    items, exchanges and return shipping (after-sample: wrong)."""
    select = {"select": ["sections.missing-part"], "today": "2026-12-06"}
    service = (
        "# Refund policy\n\nIf you cancel in the first 30 days of your subscription we refund the fee.\n"
    )
    goods = "# Refund policy\n\nIf an item you ordered is faulty, we refund it within 30 days.\n"
    asked = lambda text: {f.message for f in check_text(text, config=select).findings}  # noqa: E731
    assert not any("condition" in m or "exchanged" in m or "return shipping" in m for m in asked(service))
    assert any("condition" in m for m in asked(goods))
