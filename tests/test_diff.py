"""``policylint diff``: one small pair of versions per change type and rule, in English, Danish and
German, through the real CLI; cosmetic edits; bad input; the library; and every consecutive pair
of the shared platform histories."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT
from policylint import diff_paths, diff_texts
from policylint.changes.model import ChangeReport
from policylint.cli import main
from policylint.packs import RuleSpec, load_catalog

#: ../shared beside the repository; $POLICYLINT_SHARED names it when the checkout is elsewhere.
HISTORY = Path(os.environ.get("POLICYLINT_SHARED", ROOT.parent / "shared")) / "platforms"

EN_RETURNS = """# Example Shop returns

Last updated: 1 March 2026

## Returns

You can return any unused item within {window} of delivery.

## Contact us

Email support@example.com{phone}.
"""

EN_PRIVACY = """# Example Shop privacy policy

Last updated: 1 March 2026

## What we collect

We collect your name, email address and order history.{extra}

## Who we share it with

We share your data with service providers that deliver your orders.{share}

## Your rights

You have the right to access your personal data.{rights}

## Disputes

{disputes}These terms are governed by the laws of {law}.
"""


def _privacy(**parts: str) -> str:
    values = {"extra": "", "share": "", "rights": "", "disputes": "", "law": "Denmark"}
    values.update(parts)
    return EN_PRIVACY.format(**values)


def _returns(window: str = "30 days", phone: str = " or call us on +1 415 555 0100") -> str:
    return EN_RETURNS.format(window=window, phone=phone)


DA_RETURNS = """# Returpolitik for Eksempel ApS

Senest opdateret: 1. marts 2026

Her kan du læse, hvordan du kan fortryde et køb hos os, og hvad du skal gøre, når du vil sende en vare tilbage til os.

## Fortrydelsesret

Du kan returnere varen inden for {window} efter levering. Varen skal være i samme stand, som da du modtog den.

## Kontakt

Skriv til kundeservice@eksempel.dk{phone}.
"""

DE_TERMS = """# Allgemeine Geschäftsbedingungen der Beispiel GmbH

Stand: 1. März 2026

Diese Bedingungen gelten für alle Bestellungen, die Sie in unserem Shop aufgeben, und für die Lieferung der Waren an Sie.

## Widerruf

Sie können den Vertrag innerhalb von {window} widerrufen. Dazu genügt eine kurze Nachricht an uns, in der Sie den Widerruf erklären.

## Streitbeilegung

{dispute}Für Fragen schreiben Sie an service@beispiel.de.
"""

# (case, old, new, expected (type, topic, direction))
CASES: list[tuple[str, str, str, tuple[str, str, str]]] = [
    ("en-return-window", _returns(), _returns("14 days"), ("period", "return-window", "less-favourable")),
    ("en-return-longer", _returns(), _returns("60 days"), ("period", "return-window", "more-favourable")),
    ("en-phone-removed", _returns(), _returns(phone=""), ("channel", "phone", "less-favourable")),
    (
        "en-recipient-added",
        _privacy(),
        _privacy(share=" We also share it with advertising partners."),
        ("recipient", "advertisers", "less-favourable"),
    ),
    (
        "en-right-removed",
        _privacy(rights=" You can ask us to delete your personal data at any time."),
        _privacy(),
        ("right", "deletion", "less-favourable"),
    ),
    (
        "en-right-added",
        _privacy(),
        _privacy(rights=" You can withdraw your consent at any time."),
        ("right", "withdraw-consent", "more-favourable"),
    ),
    (
        "en-data-added",
        _privacy(),
        _privacy(extra=" We also collect your precise location when you use the app."),
        ("data", "precise-location", "less-favourable"),
    ),
    (
        "en-arbitration",
        _privacy(),
        _privacy(disputes="Any dispute will be resolved by binding arbitration. "),
        ("dispute", "arbitration", "less-favourable"),
    ),
    (
        "en-class-action-waiver",
        _privacy(),
        _privacy(disputes="You waive any right to bring a class action against us. "),
        ("dispute", "class-action-waiver", "less-favourable"),
    ),
    (
        "en-governing-law",
        _privacy(),
        _privacy(law="the State of Delaware"),
        ("governing-law", "governing-law", "neutral"),
    ),
    (
        "en-fee",
        _returns(),
        _returns().replace("of delivery.", "of delivery. A restocking fee of $15 applies to every return."),
        ("fee", "fee", "less-favourable"),
    ),
    (
        "en-section-removed",
        _privacy(),
        _privacy()
        .replace("## Disputes\n\n", "")
        .replace("These terms are governed by the laws of Denmark.", ""),
        ("section-removed", "complaints", "neutral"),
    ),
    (
        "en-required-part",
        _returns(),
        _returns().split("## Contact us")[0],
        ("required-part", "contact-details", "less-favourable"),
    ),
    (
        "da-return-window",
        DA_RETURNS.format(window="30 dage", phone=""),
        DA_RETURNS.format(window="14 dage", phone=""),
        ("period", "return-window", "less-favourable"),
    ),
    (
        "da-phone-removed",
        DA_RETURNS.format(window="30 dage", phone=" eller ring på +45 33 12 34 56"),
        DA_RETURNS.format(window="30 dage", phone=""),
        ("channel", "phone", "less-favourable"),
    ),
    (
        "de-withdrawal",
        DE_TERMS.format(window="30 Tagen", dispute=""),
        DE_TERMS.format(window="14 Tagen", dispute=""),
        ("period", "withdrawal", "less-favourable"),
    ),
    (
        "de-arbitration",
        DE_TERMS.format(window="14 Tagen", dispute=""),
        DE_TERMS.format(window="14 Tagen", dispute="Streitigkeiten entscheidet ein Schiedsgericht. "),
        ("dispute", "arbitration", "less-favourable"),
    ),
]


def _run(tmp_path: Path, old: str, new: str, *args: str, name: str = "policy.md") -> tuple[int, str]:
    (tmp_path / "old").mkdir(exist_ok=True)
    (tmp_path / "new").mkdir(exist_ok=True)
    (tmp_path / "old" / name).write_text(old, encoding="utf-8")
    (tmp_path / "new" / name).write_text(new, encoding="utf-8")
    out = io.StringIO()
    code = main(["diff", str(tmp_path / "old" / name), str(tmp_path / "new" / name), *args], out=out)
    return code, out.getvalue()


def _report(
    tmp_path: Path, old: str, new: str, *args: str, name: str = "policy.md"
) -> tuple[int, ChangeReport]:
    code, text = _run(tmp_path, old, new, "--format", "json", "--today", "2026-03-01", *args, name=name)
    return code, ChangeReport.model_validate_json(text)


@pytest.mark.parametrize(("case", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_change_type_is_reported_with_its_direction(
    tmp_path: Path, case: str, old: str, new: str, expected: tuple[str, str, str]
) -> None:
    _, report = _report(tmp_path, old, new)
    (item,) = report.files
    found = [(c.type, c.topic, c.direction) for c in item.changes]
    assert expected in found, f"{case}: {found}"
    change = next(c for c in item.changes if (c.type, c.topic, c.direction) == expected)
    assert change.new is not None or change.old is not None
    assert change.before or change.after
    assert not item.cosmetic


def test_a_shortened_window_quotes_both_versions_and_points_at_the_new_line(tmp_path: Path) -> None:
    _, report = _report(tmp_path, _returns(), _returns("14 days"))
    change = next(c for c in report.files[0].changes if c.type == "period")
    assert change.before == "You can return any unused item within 30 days of delivery."
    assert change.after == "You can return any unused item within 14 days of delivery."
    assert change.new is not None and change.new.line == 7 and change.new.section == "Returns"
    assert change.old is not None and change.old.line == 7


COSMETIC = [
    ("whitespace", _returns(), _returns().replace("You can return", "You  can\nreturn")),
    ("markup", _returns(), _returns().replace("unused item", "**unused** item")),
    ("link-target", _returns(), _returns().replace("## Returns", "## [Returns](https://example.com/r)")),
    ("numbering", _privacy(), _privacy().replace("## What we collect", "## 1. What we collect")),
    ("typo", _returns(), _returns().replace("delivery", "delivry")),
    (
        "list-order",
        "# Shop privacy policy\n\n## Data\n\n- We collect your name for orders.\n- We collect your email for receipts.\n",
        "# Shop privacy policy\n\n## Data\n\n- We collect your email for receipts.\n- We collect your name for orders.\n",
    ),
    (
        "danish-markup",
        DA_RETURNS.format(window="30 dage", phone=""),
        DA_RETURNS.format(window="30 dage", phone="").replace("returnere varen", "returnere _varen_"),
    ),
]


@pytest.mark.parametrize(("case", "old", "new"), COSMETIC, ids=[c[0] for c in COSMETIC])
def test_cosmetic_edits_are_no_material_change(tmp_path: Path, case: str, old: str, new: str) -> None:
    code, report = _report(tmp_path, old, new, "--fail-on", "info")
    (item,) = report.files
    assert item.changes == [], f"{case}: {item.changes}"
    assert item.cosmetic
    assert code == 0


def _rule_example(rule_id: str) -> tuple[RuleSpec, str]:
    spec = load_catalog().rules[rule_id]
    return spec, str(spec.params["old"])


CHANGE_RULES = sorted(s.id for s in load_catalog().rules.values() if s.kind == "change" and "old" in s.params)


@pytest.mark.parametrize("rule_id", CHANGE_RULES)
def test_change_rule_examples(tmp_path: Path, rule_id: str) -> None:
    """Each change.* rule's own example pair (the docs show it): bad reports it, good does not."""
    spec, old = _rule_example(rule_id)
    today = str(spec.params.get("today") or "2026-06-01")
    for new, expected in ((spec.example.bad, True), (spec.example.good, False)):
        _, report = _report(tmp_path, old, new, "--today", today, "--lint", "none")
        rules = {f.rule for f in report.findings()}
        assert (rule_id in rules) is expected, f"{rule_id} {'bad' if expected else 'good'}: {rules}"


def test_change_notice_days_and_changed_on(tmp_path: Path) -> None:
    old = _returns().replace("Last updated: 1 March 2026", "Effective: 1 March 2026")
    new = _returns("14 days").replace("Last updated: 1 March 2026", "Effective: 20 March 2026")
    _, report = _report(tmp_path, old, new, "--today", "2026-03-01", "--lint", "none")
    assert "change.short-notice" in {f.rule for f in report.findings()}
    _, report = _report(tmp_path, old, new, "--changed-on", "2026-02-01", "--lint", "none")
    assert "change.short-notice" not in {f.rule for f in report.findings()}
    (tmp_path / "new" / "policylint.toml").write_text("change_notice_days = 14\n", encoding="utf-8")
    _, report = _report(
        tmp_path,
        old,
        new,
        "--today",
        "2026-03-01",
        "--lint",
        "none",
        "--config",
        str(tmp_path / "new" / "policylint.toml"),
    )
    assert "change.short-notice" not in {f.rule for f in report.findings()}


def test_fail_on_and_exit_codes(tmp_path: Path) -> None:
    code, _ = _run(tmp_path, _returns(), _returns("14 days"), "--lint", "none")
    assert code == 0  # less favourable changes are warnings; the default fails on errors
    code, _ = _run(tmp_path, _returns(), _returns("14 days"), "--lint", "none", "--fail-on", "warning")
    assert code == 1
    code, _ = _run(tmp_path, _returns(), _returns(), "--fail-on", "info")
    assert code == 0


def test_new_lint_findings_only_those_the_change_introduces(tmp_path: Path) -> None:
    old = _returns().replace("Last updated: 1 March 2026\n\n", "")  # already lacks a date in both
    new = old.split("## Contact us")[0]
    _, report = _report(tmp_path, old, new)
    rules = [f.rule for f in report.findings()]
    assert "sections.missing-part" in rules  # introduced: the contact part went away
    assert "dates.missing-effective" not in rules  # both versions lack it: not repeated


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "sarif"])
def test_output_formats(tmp_path: Path, fmt: str) -> None:
    code, text = _run(tmp_path, _returns(), _returns("14 days"), "--format", fmt, "--lint", "none")
    assert code == 0
    if fmt == "github":
        assert "::warning file=" in text and "title=change.less-favourable::" in text
        assert ",line=7," in text
    elif fmt == "sarif":
        assert json.loads(text)["runs"][0]["results"][0]["ruleId"].startswith("change.")
    else:
        assert "30 days → 14 days" in text


def test_schema_diff_describes_the_json_output(tmp_path: Path) -> None:
    out = io.StringIO()
    assert main(["schema", "--diff"], out=out) == 0
    schema = json.loads(out.getvalue())
    assert "Change" in schema["$defs"] and "schema_version" in schema["properties"]


def test_unreadable_version_is_named_and_is_an_error_finding(tmp_path: Path) -> None:
    (tmp_path / "new.md").write_text(_returns(), encoding="utf-8")
    (tmp_path / "old.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    out = io.StringIO()
    code = main(["diff", str(tmp_path / "old.md"), str(tmp_path / "new.md"), "--format", "json"], out=out)
    report = ChangeReport.model_validate_json(out.getvalue())
    assert code == 1
    assert report.files[0].status == "error" and "old.md" in (report.files[0].error or "")
    assert report.findings()[0].rule == "io.unreadable"


def test_library_diff_texts_and_diff_paths(tmp_path: Path) -> None:
    report = diff_texts(_returns(), _returns("14 days"), config={"today": "2026-03-01"})
    assert report.summary.less_favourable == 1
    (tmp_path / "a.md").write_text(_returns(), encoding="utf-8")
    (tmp_path / "b.md").write_text(_returns(phone=""), encoding="utf-8")
    report = diff_paths(tmp_path / "a.md", tmp_path / "b.md", lint="none")
    assert [c.topic for c in report.files[0].changes] == ["phone"]


def test_every_consecutive_pair_of_the_platform_histories(tmp_path: Path) -> None:
    """No crash on 135 real changes, and the places given are inside the files."""
    manifest = HISTORY / "manifest.json"
    if not manifest.is_file():
        pytest.skip(
            f"shared platform histories not found at {HISTORY} (they live beside the repository in ../shared)"
        )
    data: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
    config = {"today": dt.date(2026, 12, 6).isoformat()}
    for history in data["histories"]:
        versions = history["versions"]
        for old, new in itertools.pairwise(versions):
            folder = HISTORY / history["folder"]
            report = diff_paths(folder / old["file"], folder / new["file"], config, lint="none")
            lines = (folder / new["file"]).read_text(encoding="utf-8").count("\n") + 1
            for change in report.files[0].changes:
                assert change.new is None or 1 <= change.new.line <= lines


NOT_LESS_FAVOURABLE = [
    (
        "negated-curly-apostrophe",
        _privacy(),
        _privacy(share=" We don’t sell your personal data to data brokers."),
    ),
    (
        "recipient-as-source",
        _privacy(),
        _privacy(share=" We receive information about you from advertisers."),
    ),
    (
        "link-target-only",
        _returns().replace("Email support@example.com", "Email us [here](mailto:support@example.com)"),
        _returns().replace("Email support@example.com", "Email us here"),
    ),
    (
        "address-replaced",
        _returns(),
        _returns().replace("support@example.com", "help@example.com"),
    ),
    (
        "liability-cap-reworded",
        _privacy(disputes="In no event will our total liability exceed $100. "),
        _privacy(disputes="Our total liability is limited to $100 in all cases. "),
    ),
]


@pytest.mark.parametrize(("case", "old", "new"), NOT_LESS_FAVOURABLE, ids=[c[0] for c in NOT_LESS_FAVOURABLE])
def test_what_is_not_less_favourable(tmp_path: Path, case: str, old: str, new: str) -> None:
    """Cases the judged sample of real changes found reported wrongly before tuning."""
    _, report = _report(tmp_path, old, new, "--lint", "none")
    less = [c.summary for c in report.files[0].changes if c.direction == "less-favourable"]
    assert less == [], f"{case}: {less}"


def test_a_replaced_address_is_a_neutral_channel_change(tmp_path: Path) -> None:
    _, report = _report(tmp_path, _returns(), _returns().replace("support@", "help@"), "--lint", "none")
    (change,) = [c for c in report.files[0].changes if c.type == "channel"]
    assert change.direction == "neutral" and "support@example.com → help@example.com" in change.summary


def test_a_new_effective_date_alone_is_no_material_change(tmp_path: Path) -> None:
    old = _returns().replace("Last updated: 1 March 2026", "This policy is effective from 1 March 2026.")
    new = old.replace("1 March 2026", "1 June 2026")
    _, report = _report(tmp_path, old, new, "--lint", "none")
    assert report.files[0].changes == []
    assert report.files[0].new_effective is not None and report.files[0].new_effective.month == 6
