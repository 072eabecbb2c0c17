"""contact.* and consistency.* in every built-in language (issue 17, item 1).

Their vocabulary once existed only in the English pack, so a German policy with one channel, no
reply time and two different return windows got none of the findings its English translation
got. Each language here has the same short returns policy as English: a "bad" one (email only, no
answer time, return windows of 30 and 14 days) that must get exactly the rule ids English gets,
and a "clean" one (email and phone, "we reply within 2 business days", one return window) that
must get none of them. The policies go through the real CLI, with language detection.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import TODAY
from policylint.cli import main

FAMILIES = ("contact.", "consistency.")


#: language -> (bad policy, clean policy). Only the contact section and the second return
#: window differ between the two.
POLICIES: dict[str, tuple[str, str]] = {
    "en": (
        """# Example Shop returns policy

## Returns

You can return any unused item within 30 days of delivery. We pay for the return shipping.

## Sending an item back

Pack the item well and put the delivery note in the box. You can send an item back within {days} days of delivery.

## Contact

If you have a question about your order, email help@shop.example.{more}
""",
        " Or call us on +45 33 12 34 56. We reply within 2 business days.",
    ),
    "da": (
        """# Returpolitik for Eksempel Butik

## Returret

Du kan returnere ubrugte varer inden for 30 dage efter levering. Vi betaler fragten.

## Sådan sender du en vare tilbage

Pak varen godt ind, og læg følgesedlen i pakken. Du kan sende en vare tilbage inden for {days} dage efter levering.

## Kontakt

Har du spørgsmål til din ordre, så skriv til hjaelp@butik.example.{more}
""",
        " Du kan også ringe til os på +45 33 12 34 56. Vi svarer inden for 2 hverdage.",
    ),
    "nb": (
        """# Returvilkår for Eksempel Butikk

## Returrett

Du kan returnere ubrukte varer innen 30 dager etter levering. Vi betaler frakten.

## Slik sender du en vare tilbake

Pakk varen godt inn, og legg pakkseddelen i esken. Du kan sende en vare tilbake innen {days} dager etter levering.

## Kontakt

Har du spørsmål om bestillingen din, kan du skrive til hjelp@butikk.example.{more}
""",
        " Du kan også ringe oss på +47 22 12 34 56. Vi svarer innen 2 virkedager.",
    ),
    "hr": (
        """# Pravila povrata trgovine Primjer

## Povrat proizvoda

Nekorišteni proizvod možete vratiti u roku od 30 dana od isporuke. Troškove slanja plaćamo mi.

## Kako poslati proizvod natrag

Proizvod dobro zapakirajte i u paket stavite otpremnicu. Proizvod nam možete poslati natrag u roku od {days} dana od isporuke.

## Kontakt

Ako imate pitanje o svojoj narudžbi, pišite nam na pomoc@trgovina.example.{more}
""",
        " Možete nas i nazvati na +385 1 234 5678. Odgovaramo u roku od 2 radna dana.",
    ),
    "et": (
        """# Näidispoe tagastustingimused

## Tagastamine

Kasutamata toote saate tagastada 30 päeva jooksul alates kättetoimetamisest. Saatmiskulu maksame meie.

## Kuidas toode tagasi saata

Pakkige toode hästi ja pange saateleht pakki. Toote saate meile tagasi saata {days} päeva jooksul alates kättetoimetamisest.

## Kontakt

Kui teil on tellimuse kohta küsimusi, kirjutage meile aadressil abi@pood.example.{more}
""",
        " Võite meile ka helistada numbril +372 612 3456. Vastame 2 tööpäeva jooksul.",
    ),
    "de": (
        """# Rückgaberichtlinie von Beispiel Shop

## Rückgabe

Sie können unbenutzte Artikel innerhalb von 30 Tagen nach der Lieferung zurückgeben. Die Versandkosten tragen wir.

## So senden Sie einen Artikel zurück

Verpacken Sie den Artikel gut und legen Sie den Lieferschein bei. Sie können einen Artikel innerhalb von {days} Tagen nach der Lieferung zurücksenden.

## Kontakt

Wenn Sie eine Frage zu Ihrer Bestellung haben, schreiben Sie an hilfe@shop.example.{more}
""",
        " Sie können uns auch unter +49 30 1234567 anrufen. Wir antworten innerhalb von 2 Werktagen.",
    ),
}

#: What the English policy gets; every translation must get the same.
EXPECTED = {"contact.too-few-channels", "contact.missing-response-time", "consistency.return-window"}


def _policy(lang: str, *, clean: bool) -> str:
    template, more = POLICIES[lang]
    return template.format(days=30 if clean else 14, more=more if clean else "")


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str) -> dict[str, object]:
    path = tmp_path / "policy.md"
    path.write_text(text, encoding="utf-8")
    main(["check", str(path), "--format", "json", "--no-cache", "--today", TODAY.isoformat()])
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    return report


def _ids(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["rule"] for f in findings if f["rule"].startswith(FAMILIES)}


def _partial(report: dict[str, object]) -> list[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return [f["message"] for f in findings if f["rule"] == "language.partial"]


def test_the_english_policy_gets_the_findings_the_translations_must_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _ids(_run(tmp_path, capsys, _policy("en", clean=False))) == EXPECTED
    assert _ids(_run(tmp_path, capsys, _policy("en", clean=True))) == set()


@pytest.mark.parametrize("lang", ["da", "nb", "hr", "et", "de"])
def test_a_translation_gets_the_same_contact_and_consistency_findings(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _run(tmp_path, capsys, _policy(lang, clean=False))
    files = report["files"]
    assert isinstance(files, list) and files[0]["language"] == lang
    assert _ids(report) == EXPECTED
    # Nothing of these families is skipped for want of vocabulary.
    assert not any(family in message for message in _partial(report) for family in FAMILIES)


@pytest.mark.parametrize("lang", ["da", "nb", "hr", "et", "de"])
def test_the_clean_translation_gets_none_of_them(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = _run(tmp_path, capsys, _policy(lang, clean=True))
    files = report["files"]
    assert isinstance(files, list) and files[0]["language"] == lang
    assert _ids(report) == set()


# --- `policylint rules --language`: which rules lack their words in a pack -------------------------


def _user_pack(tmp_path: Path) -> Path:
    """A config whose rule_paths add a French pack with no rule vocabulary at all."""
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "fr.toml").write_text(
        '[language]\ncode = "fr"\nname = "French"\nspacy = "en"\nstopwords = ["le", "la", "et"]\n',
        encoding="utf-8",
    )
    config = tmp_path / "policylint.toml"
    # The pack has no profile phrases either, so the config names the kind of policy.
    config.write_text(
        f'rule_paths = [{json.dumps(str(packs))}]\nprofile = "customer-service"\n', encoding="utf-8"
    )
    return config


@pytest.mark.parametrize("lang", ["en", "da", "nb", "hr", "et", "de"])
def test_rules_language_shows_contact_and_consistency_have_their_words(
    lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["rules", "--language", lang, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    ours = {row["id"]: row["vocabulary"] for row in rows if row["id"].startswith(FAMILIES)}
    assert len(ours) == 7 and all(ours.values()), ours
    assert {row["id"]: row["vocabulary"] for row in rows}["language.partial"] is None


def test_rules_language_lists_what_a_users_pack_lacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(_user_pack(tmp_path))
    assert main(["rules", "--language", "fr", "--format", "json", "--config", config]) == 0
    status = {row["id"]: row["vocabulary"] for row in json.loads(capsys.readouterr().out)}
    assert status["contact.too-few-channels"] is False and status["jargon.legalese"] is False
    assert status["sections.missing-contact"] is True  # reads section kinds, not rule words
    assert main(["rules", "--language", "fr", "--config", config]) == 0
    text = capsys.readouterr().out
    assert "MISSING" in text
    summary = " ".join(text[text.index("lack the vocabulary") :].split())
    assert "contact.too-few-channels" in summary and '[rules."<rule id>"]' in summary


def test_rules_language_refuses_an_unknown_pack(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--language", "xx"]) == 2
    assert "no language pack 'xx'" in capsys.readouterr().err


def test_a_run_with_a_users_pack_reports_the_skipped_rules_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = str(_user_pack(tmp_path))
    path = tmp_path / "politique.md"
    path.write_text(_policy("en", clean=False), encoding="utf-8")
    main(["check", str(path), "--format", "json", "--no-cache", "--language", "fr", "--config", config])
    findings = json.loads(capsys.readouterr().out)["findings"]
    notes = [f for f in findings if f["rule"] == "language.partial"]
    assert len(notes) == 1 and notes[0]["severity"] == "info"
    for rule_id in sorted(EXPECTED):
        assert rule_id in notes[0]["message"]
    assert not [f for f in findings if f["rule"].startswith(FAMILIES)]
    # It can be switched off like any rule.
    main(
        [
            "check",
            str(path),
            "--format",
            "json",
            "--no-cache",
            "--language",
            "fr",
            "--config",
            config,
            "--ignore",
            "language.partial",
        ]
    )
    assert not [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "language.partial"]


# --- docs/languages.md: the generated table of rules by language -----------------------------------


def test_the_languages_page_shows_no_gap_for_contact_and_consistency() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "languages.md").read_text(encoding="utf-8")
    rows = [line for line in page.splitlines() if line.startswith("| `")]
    ours = [row for row in rows if row.startswith(("| `contact.", "| `consistency."))]
    assert len(ours) == 7
    assert all(row.count("✓") == 6 and "no words" not in row for row in ours), ours
    header = next(line for line in page.splitlines() if line.startswith("| rule |"))
    assert header.split("|")[2:-1] == [" en ", " da ", " de ", " et ", " hr ", " nb "]


def test_the_table_follows_the_packs(tmp_path: Path) -> None:
    """A stale page fails test_docs; here: the builder itself reads the packs, not a fixed list."""
    from policylint.docgen import main as docgen

    docs = tmp_path / "docs"
    docs.mkdir()
    marker = "<!-- BEGIN generated: rule-languages (python -m policylint.docgen docs/) -->\n"
    (docs / "languages.md").write_text(f"# L\n\n{marker}old\n<!-- END generated: rule-languages -->\n")
    assert docgen([str(docs)]) == 0
    table = (docs / "languages.md").read_text(encoding="utf-8")
    assert "old" not in table
    assert "| `regulation.coppa` | ✓ |" in table  # English has its words
    assert "| `language.partial` |" not in table  # notes about the run are not rules of a language


# --- the reply-time phrases each pack's message suggests are commitments -------------------------

#: language -> (a returns section that mentions a complaint, the reply time the message suggests).
REPLY_TIMES = {
    "en": ("## Returns\n\nSend your complaint to us by email.", "We reply within 2 business days."),
    "da": ("## Returnering\n\nSend din klage til os på e-mail.", "Vi svarer inden for 2 hverdage."),
    "nb": ("## Retur\n\nSend din klage til oss på e-post.", "Vi svarer innen 2 virkedager."),
    "hr": ("## Povrat\n\nPošaljite nam vaš prigovor e-poštom.", "Odgovaramo u roku od 2 radna dana."),
    "et": ("## Tagastamine\n\nSaatke meile teie kaebus e-posti teel.", "Vastame 2 tööpäeva jooksul."),
    "de": (
        "## Rückgabe\n\nSenden Sie uns Ihre Beschwerde per E-Mail.",
        "Wir antworten innerhalb von 2 Werktagen.",
    ),
}


@pytest.mark.parametrize("lang", sorted(REPLY_TIMES))
def test_the_suggested_reply_time_is_a_commitment_outside_a_contact_section(lang: str) -> None:
    """Outside a complaints or contact section a period only counts in a sentence about
    answering: the pack's own example ("vastame 2 tööpäeva jooksul") must be one."""
    from policylint import check_text
    from policylint.config import Config

    section, reply = REPLY_TIMES[lang]
    config = Config(
        language=lang, select=["contact.missing-response-time"], today=TODAY, profile="customer-service"
    )
    silent = check_text(f"# Policy\n\n{section}\n", "markdown", config)
    assert [f.rule for f in silent.findings] == ["contact.missing-response-time"]
    answered = check_text(f"# Policy\n\n{section} {reply}\n", "markdown", config)
    assert answered.findings == []
    message = _response_messages()[lang]
    assert reply.lower().rstrip(".") in message.lower(), message


def _response_messages() -> dict[str, str]:
    """The message of contact.missing-response-time in each language (English: the rule's own)."""
    from policylint.packs import load_catalog

    catalog = load_catalog()
    messages = {
        code: str(catalog.languages[code].rules.get("contact.missing-response-time", {}).get("message", ""))
        for code in REPLY_TIMES
    }
    messages["en"] = catalog.rules["contact.missing-response-time"].message
    return messages


# --- precision: conditions of sale where every period is stated once per purpose ---------------


@pytest.mark.parametrize("lang", ["da", "nb", "hr", "et", "de"])
def test_terms_with_many_different_periods_get_no_consistency_findings(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """tests/fixtures/terms/<lang>-terms.md: the statutory withdrawal period (14 days), a longer
    voluntary return window (30 days) and a shorter one for sale items, refund, delivery, warranty
    and retention periods, and a reply time, each stated once. None of them contradicts another."""
    text = (Path(__file__).parent / "fixtures" / "terms" / f"{lang}-terms.md").read_text(encoding="utf-8")
    report = _run(tmp_path, capsys, text)
    files = report["files"]
    assert isinstance(files, list) and files[0]["language"] == lang
    findings = report["findings"]
    assert isinstance(findings, list)
    assert [(f["rule"], f["line"]) for f in findings if f["rule"].startswith(FAMILIES)] == []
