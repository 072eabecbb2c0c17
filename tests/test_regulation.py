"""regulation.* rules aim at the right document: duties of each marketing email are not asked of a
privacy notice, one finding per regulation, and COPPA, HIPAA and telemarketing only where the
document describes the business's own practice (issue 16: findings on real policies)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY
from policylint import check_text
from policylint.config import Config


def _rules(text: str, rule: str) -> list[str]:
    report = check_text(text, "markdown", Config(today=TODAY, select=[rule]))
    return [f.message for f in report.findings]


def test_notice_with_an_opt_out_owes_no_postal_address_or_ad_label() -> None:
    text = (
        "# Privacy notice\n\n## Marketing\n\nWe send marketing emails about new products. "
        "You can opt out with the link in any email.\n"
    )
    assert _rules(text, "regulation.can-spam") == []


def test_missing_elements_of_one_regulation_are_one_finding() -> None:
    text = "# Offers\n\nWe make marketing calls about new products.\n"
    (message,) = _rules(text, "regulation.telemarketing")
    assert "how customers stop calls" in message
    assert "the consent customers give" in message
    assert "16 CFR § 310.4(b)(1)(iii)" in message and "47 U.S.C. § 227" in message


@pytest.mark.parametrize(
    "text",
    [
        "# Who may use it\n\nOur service is not meant to be used if you are under 13. "
        "Children should not create an account.\n",
        "# Accounts\n\nYou must be at least 18 years old to create an account. "
        "We do not collect information from children.\n",
        "# Accounts\n\nAnyone under 16 years of age is prohibited from opening an account, "
        "and children's data is deleted.\n",
        "# Accounts\n\nOur service is for business customers only. Children cannot create an account.\n",
    ],
)
def test_coppa_is_not_demanded_where_children_are_excluded(text: str) -> None:
    assert _rules(text, "regulation.coppa") == []


def test_children_in_content_rules_do_not_trigger_coppa() -> None:
    text = "# Community rules\n\nWe remove content that sexually exploits or endangers children.\n"
    assert _rules(text, "regulation.coppa") == []


def test_children_as_users_still_trigger_coppa() -> None:
    text = "# Kids\n\nKids can create an account to save their progress in our games.\n"
    assert len(_rules(text, "regulation.coppa")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "# Community rules\n\nDo not post health misinformation or someone else's medical records.\n",
        "# Getting help\n\nWe link to mental health resources and crisis lines in every country.\n",
        "# Ads\n\nAds for prescription drugs need our approval.\n",
    ],
)
def test_health_mentions_that_are_not_our_records_do_not_trigger_hipaa(text: str) -> None:
    assert _rules(text, "regulation.hipaa") == []


def test_our_own_health_records_trigger_hipaa() -> None:
    text = "# Your care\n\nWe keep your medical records and prescriptions to plan your treatment.\n"
    assert len(_rules(text, "regulation.hipaa")) == 1


def test_promotional_text_that_is_not_our_marketing_does_not_trigger_telemarketing() -> None:
    text = "# README rules\n\nYou may include static images, links and promotional text in the README.\n"
    assert _rules(text, "regulation.telemarketing") == []


def test_reply_stop_in_quotes_is_a_way_to_stop_texts() -> None:
    text = '# SMS\n\nWe send promotional text messages if you opt in. To stop, reply "STOP" to any message.\n'
    assert _rules(text, "regulation.telemarketing") == []


def test_examples_needing_work_keep_their_regulation_findings(tmp_path: Path) -> None:
    """Through the command, in its own process (the command freezes the heap for its workers)."""
    out = tmp_path / "report.json"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "policylint",
            "check",
            str(EXAMPLES / "needs-work"),
            "--format",
            "json",
            "--no-cache",
            "--no-progress",
            "--today",
            TODAY.isoformat(),
            "--select",
            "regulation",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode != 2, done.stderr
    found = {(Path(f["path"]).name, f["rule"]) for f in json.loads(out.read_text())["findings"]}
    assert found == {
        ("privacy-notice.html", "regulation.can-spam"),
        ("service-policy.md", "regulation.can-spam"),
        ("service-policy.md", "regulation.hipaa"),
    }


def test_a_rule_for_members_about_promotional_messages_is_not_our_marketing() -> None:
    text = "# Rules\n\nDo not use our invitation feature to send promotional messages to strangers.\n"
    assert _rules(text, "regulation.can-spam") == []


def test_german_mail_blocking_feature_is_not_our_marketing() -> None:
    text = (
        "# Datenschutz\n\nWenn Sie die Funktion zum Blockieren von Werbemails nutzen, prüft der Dienst "
        "den Header der E-Mails.\n"
    )
    report = check_text(text, "markdown", Config(today=TODAY, select=["regulation.can-spam"], language="de"))
    assert report.findings == []
    ours = "# Datenschutz\n\nWir versenden einen Newsletter mit unseren Angeboten.\n"
    report = check_text(ours, "markdown", Config(today=TODAY, select=["regulation.can-spam"], language="de"))
    assert [f.rule for f in report.findings] == ["regulation.can-spam"]
