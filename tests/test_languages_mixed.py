"""Documents that mix languages: a section in another language is checked with that language's rules.

The fixtures in ``tests/fixtures/mixed`` are the cases the feature is for: an English privacy
notice of a Danish shop with a Danish summary, Danish conditions of sale with a section for
customers abroad in English, an English service policy whose German withdrawal notice is marked
``lang="de"`` in the HTML, and a notice written in English and then again in German. Single-language
documents must come out exactly as before, without any extra spaCy work.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, TODAY, corpus_manifest
from policylint import check_paths, check_text
from policylint.config import Config
from policylint.document import Document
from policylint.engine import analyse
from policylint.findings import Finding, Report
from policylint.language import (
    SECTION_MIN_WORDS,
    assign_section_languages,
    detect_language,
    section_languages,
)
from policylint.packs import load_catalog
from policylint.parsers import parse

MIXED = ROOT / "tests" / "fixtures" / "mixed"
LANG_FIXTURES = ROOT / "tests" / "fixtures" / "lang"
CATALOG = load_catalog()


def _check(name: str, **config: Any) -> tuple[str, Report]:
    path = MIXED / name
    text = path.read_text(encoding="utf-8")
    fmt = "html" if name.endswith(".html") else "markdown"
    return text, check_text(text, fmt, Config(today=TODAY, **config), path=name)


def _languages(report: Report) -> dict[str, str | None]:
    return {s.title: s.language for s in report.files[0].sections}


def _span(text: str, finding: Finding) -> str:
    line = text.splitlines()[finding.line - 1]
    return line[finding.column - 1 : finding.end_column - 1]


def _rules_at(report: Report, line: int) -> list[str]:
    return sorted(f.rule for f in report.findings if f.line == line)


# --- a Danish section in an English privacy notice ----------------------------------------------


def test_danish_section_of_an_english_notice_gets_danish_rules() -> None:
    text, report = _check("en-privacy-danish-section.md")
    assert report.files[0].language == "en"
    languages = _languages(report)
    assert languages.pop("Til danske kunder") == "da"
    assert set(languages.values()) == {None}
    vague = [f for f in report.findings if f.rule == "dates.vague-time"]
    assert [_span(text, f) for f in vague] == ["hurtigst muligt"]
    (finding,) = vague
    assert finding.section == "Til danske kunder"
    assert finding.message == (
        "Uklar tid: “hurtigst muligt” siger ikke kunderne, hvornår. "
        "Angiv en konkret periode, fx “inden for 14 dage”."
    )


def test_without_section_languages_the_danish_phrase_goes_unnoticed() -> None:
    _, report = _check("en-privacy-danish-section.md", section_languages=False)
    assert set(_languages(report).values()) == {None}
    assert [f for f in report.findings if f.rule == "dates.vague-time"] == []


# --- an English section in Danish conditions of sale --------------------------------------------


def test_english_section_of_danish_terms_gets_english_rules() -> None:
    text, report = _check("da-terms-english-section.md")
    file = report.files[0]
    assert (file.language, file.profile) == ("da", "customer-service")
    languages = _languages(report)
    assert languages.pop("For customers outside Denmark") == "en"
    assert set(languages.values()) == {None}
    english = [f for f in report.findings if f.section == "For customers outside Denmark"]
    assert sorted((f.rule, _span(text, f)) for f in english) == [
        ("dates.vague-time", "as soon as possible"),
        ("jargon.legalese", "Herein"),
        ("jargon.wordy", "In accordance with"),
    ]
    assert all(f.message.split(":")[0] in ("Vague time", "Plain language", "Shorter") for f in english)
    # The Danish sections are still complete, and still checked in Danish: no other findings
    # (language.partial is a note about rules the packs lack words for, not about the policy).
    assert [f for f in report.findings if f not in english and f.rule != "language.partial"] == []


# --- HTML with lang attributes: a German withdrawal notice in an English policy ------------------


def test_html_lang_attribute_gives_a_section_its_language() -> None:
    text, report = _check("en-de-service-policy.html")
    file = report.files[0]
    assert (file.language, file.profile) == ("en", "customer-service")
    # lang="de-DE" counts as German; the short "Kontakt" section is German because it says so.
    assert _languages(report) == {
        "Customer Service Policy": None,
        "Privacy": None,
        "Widerrufsrecht": "de",
        "Complaints": None,
        "Kontakt": "de",
        "Contact us": None,
    }
    kinds = {s.title: s.kind for s in file.sections}
    assert kinds["Widerrufsrecht"] == "returns" and kinds["Kontakt"] == "contact"
    # The German section satisfies the required returns section; its wording is judged in German.
    assert sorted((f.rule, _span(text, f)) for f in report.findings) == [
        ("dates.vague-time", "zeitnah"),
        ("jargon.legalese", "binnen"),
    ]
    assert all(f.message.startswith(("Klare Sprache", "Unklare Zeitangabe")) for f in report.findings)


def test_html_without_section_languages_misses_the_german_returns_section() -> None:
    _, report = _check("en-de-service-policy.html", section_languages=False)
    assert [f.rule for f in report.findings] == ["sections.missing-returns"]


def test_an_undeclared_language_in_html_is_detected_and_a_declared_one_wins() -> None:
    german = (
        "<p>Wir verwenden Ihre Daten nur, um Ihre Bestellung zu liefern und Ihre Fragen zu beantworten. "
        "Wir verkaufen Ihre Daten nie, und wir löschen sie zwei Jahre nach Ihrer letzten Bestellung, wenn "
        "das Gesetz nicht verlangt, dass wir sie länger aufbewahren. Wir senden Ihnen regelmäßig "
        "Informationen über neue Produkte, wenn Sie das wünschen.</p>"
    )
    english = (
        "<p>We use your data only to deliver your order and to answer your questions. We never sell it, "
        "and we delete it two years after your last order unless the law requires us to keep it longer. "
        "You can ask us to see, correct or delete it at any time by writing to us.</p>"
    )
    page = (
        '<html lang="en"><body><h1>Privacy</h1><h2>Your data</h2>'
        + english
        + "<h2>Ihre Daten</h2>"
        + german
        # Declared English although it is German: the markup wins.
        + '<section lang="en"><h2>Marketing</h2>'
        + german
        + "</section>"
        # Declared French: no pack, so no language rules at all in it (no English ones either).
        + '<section lang="fr"><h2>Données</h2><p>Date de la version : 03/04/2025.</p></section></body></html>'
    )
    report = check_text(page, "html", Config(today=TODAY, select=["dates", "jargon"]))
    assert _languages(report) == {
        "Privacy": None,
        "Your data": None,
        "Ihre Daten": "de",
        "Marketing": None,
        "Données": "fr",
    }
    # "regelmäßig" is vague in German; in the section declared English it is just a foreign word.
    assert [(f.rule, f.section) for f in report.findings if f.rule != "dates.missing-effective-date"] == [
        ("dates.vague-time", "Ihre Daten")
    ]


# --- a notice in English, then in German ---------------------------------------------------------


def test_bilingual_notice_checks_each_half_in_its_language() -> None:
    text, report = _check("en-de-privacy-notice.md")
    file = report.files[0]
    assert (file.language, file.profile) == ("en", "privacy-notice")
    assert _languages(report) == {
        "Privacy Notice / Datenschutzerklärung": None,
        "Privacy notice (English)": None,
        "Datenschutzerklärung (Deutsch)": "de",
        "Contact / Kontakt": None,
    }
    kinds = {s.title: s.kind for s in file.sections}
    assert kinds["Datenschutzerklärung (Deutsch)"] == "privacy"
    vague = [(f.section, _span(text, f)) for f in report.findings if f.rule == "dates.vague-time"]
    assert vague == [("Datenschutzerklärung (Deutsch)", "zeitnah")]


def test_a_document_no_pack_fits_as_a_whole_takes_its_main_sections_language() -> None:
    """Two halves in two languages can leave both below the share of function words a whole
    document needs; the language most of its sections are written in is then the document's."""
    english = (
        "Orders ship from our warehouse in Leeds. Parcels go by Royal Mail tracked delivery, courier "
        "service for bulky items, express options at checkout, standard delivery two working days, "
        "Scotland Highlands three working days, Northern Ireland three working days, Channel Islands "
        "five working days, international shipping seven working days, tracking numbers by email "
        "for every parcel and a delivery photo for every parcel left in a safe place."
    )
    german = (
        "Bestellungen versenden wir aus unserem Lager in Leipzig. Pakete gehen mit DHL, Sperrgut per "
        "Spedition, Expressversand gegen Aufpreis, Standardversand zwei Werktage, Österreich drei "
        "Werktage, Schweiz fünf Werktage, übrige Länder sieben Werktage, Sendungsnummer per E-Mail für "
        "jedes Paket und ein Zustellfoto für jedes Paket an einem sicheren Ablageort."
    )
    text = f"# Delivery / Versand\n\n## Delivery\n\n{english}\n\n## Versand\n\n{german}\n\n## Lieferung\n\n{german}\n"
    document = parse(text, "markdown")
    assert detect_language(document, CATALOG, "en") == "de"
    report = check_text(text, "markdown", Config(today=TODAY))
    assert report.files[0].language == "de"
    assert _languages(report)["Delivery"] == "en"


# --- short sections -------------------------------------------------------------------------------

GERMAN = (
    "Wir schicken Ihre Bestellung innerhalb von zwei Werktagen ab. Wenn Ihnen ein Artikel nicht gefällt, "
    "können Sie ihn innerhalb von 30 Tagen zurückschicken, und wir erstatten Ihnen den Kaufpreis innerhalb "
    "von 14 Tagen nach Eingang der Rücksendung auf dasselbe Zahlungsmittel, das Sie verwendet haben."
)
ENGLISH = (
    "We ship your order within two working days. If you do not like an item, you can send it back within "
    "30 days, and we refund the price within 14 days of receiving it, to the card you paid with. We answer "
    "every question about your order within one working day."
)

ENGLISH_MORE = (
    "You can pay by card, by bank transfer or with a gift card. We take the money from your card when "
    "we ship your order, and we send you a receipt by email. If a payment fails, we write to you and "
    "keep your order for three days so that you can pay in another way. Prices include VAT and the "
    "cost of delivery is shown before you pay."
)


def _section_languages(text: str, **config: Any) -> dict[str, str | None]:
    document = parse(text, "markdown")
    analyse(document, Config(**config))
    return {s.title: s.language for s in document.sections()}


def test_short_sections_take_the_language_around_them_when_their_words_say_so() -> None:
    text = (
        f"# Shop policy\n\n## Orders\n\n{ENGLISH}\n\n## Payment\n\n{ENGLISH_MORE}\n\n"
        f"## Bestellungen\n\n{GERMAN}\n\n"
        # Too short to judge alone, but its function words are German ones.
        "## Fragen\n\nSchreiben Sie uns an, wenn Sie eine Frage haben.\n\n"
        # Nothing but an address, wedged between two German sections.
        "## Kontakt\n\nservice@laden.example\n\n"
        f"## Rücksendungen\n\n{GERMAN}\n\n"
        # Short and English after the German sections: English function words keep it English.
        "## Questions\n\nWrite to us if you have a question about your order.\n\n"
        # Nothing but an address at the end: nothing to go by, so the document's language.
        "## Email\n\nservice@shop.example\n"
    )
    assert _section_languages(text) == {
        "Shop policy": None,
        "Orders": None,
        "Payment": None,
        "Bestellungen": "de",
        "Fragen": "de",
        "Kontakt": "de",
        "Rücksendungen": "de",
        "Questions": None,
        "Email": None,
    }


def test_subsections_follow_their_top_level_section() -> None:
    text = f"# Policy\n\n## Orders\n\n{ENGLISH}\n\n## Rückgabe\n\n{GERMAN}\n\n### Ausnahmen\n\nGutscheine.\n"
    assert _section_languages(text)["Ausnahmen"] == "de"


def test_a_section_needs_enough_words_to_change_language_on_its_own() -> None:
    short = " ".join(GERMAN.split()[: SECTION_MIN_WORDS - 1])
    text = f"# Policy\n\n## Orders\n\n{ENGLISH}\n\n## Returns\n\n{ENGLISH}\n\n## Rückgabe\n\n{short}.\n"
    # Too short alone, and no German section next to it to take the language from.
    assert _section_languages(text)["Rückgabe"] is None


def test_close_relatives_do_not_split_a_document() -> None:
    """Danish and Norwegian share most function words: a Danish section that scores a little higher
    on the Norwegian list stays Danish (the Danish fixtures never move a section)."""
    for lang in ("da", "nb"):
        for kind in ("good", "bad"):
            text = (LANG_FIXTURES / f"{lang}-{kind}.md").read_text(encoding="utf-8")
            assert set(_section_languages(text).values()) == {None}, (lang, kind)


def test_a_forced_language_checks_every_section_in_it() -> None:
    text = (MIXED / "en-privacy-danish-section.md").read_text(encoding="utf-8")
    assert set(_section_languages(text, language="en").values()) == {None}
    assert "da" in _section_languages(text).values()


# --- single-language documents: unchanged, and no extra work --------------------------------------


def _single_language_files() -> list[Path]:
    files = sorted(LANG_FIXTURES.glob("*.md")) + sorted(EXAMPLES.rglob("*.md"))
    return files


@pytest.mark.parametrize("path", _single_language_files(), ids=lambda p: p.name)
def test_single_language_documents_are_checked_as_before(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    before = check_text(text, "markdown", Config(today=TODAY, section_languages=False))

    def no_views(self: Document, language: str) -> Document:
        raise AssertionError("a single-language document needs no per-language view")

    monkeypatch.setattr(Document, "in_language", no_views)
    after = check_text(text, "markdown", Config(today=TODAY))
    assert after.model_dump() == before.model_dump()
    assert all(s.language is None for s in after.files[0].sections)


def test_corpus_documents_keep_one_language(corpus: Path) -> None:
    """The real policies in the shared corpus are each in one language: no section may move."""
    moved = []
    for entry in corpus_manifest():
        path = corpus / entry["local"]
        document = parse(path.read_text(encoding="utf-8"), entry["format"], str(path))
        lang = detect_language(document, CATALOG, "en")
        if lang is None:
            continue
        assign_section_languages(document, CATALOG.languages, lang)
        if section_languages(document):
            moved.append((entry["local"], section_languages(document)))
    assert moved == []


# --- reporting -------------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_json_output_reports_section_languages_deterministically() -> None:
    import jsonschema

    paths = sorted(MIXED.iterdir())
    first = check_paths(paths, Config(today=TODAY)).model_dump_json(indent=2)
    second = check_paths(list(reversed(paths)), Config(today=TODAY)).model_dump_json(indent=2)
    assert first == second
    data = json.loads(first)  # what --format json prints
    jsonschema.validate(data, Report.model_json_schema())
    by_file = {Path(f["path"]).name: f for f in data["files"]}
    html = by_file["en-de-service-policy.html"]
    assert html["language"] == "en"
    assert {s["title"]: s["language"] for s in html["sections"] if s["language"]} == {
        "Widerrufsrecht": "de",
        "Kontakt": "de",
    }
    assert {name: {s["language"] for s in f["sections"]} - {None} for name, f in by_file.items()} == {
        "da-terms-english-section.md": {"en"},
        "en-de-privacy-notice.md": {"de"},
        "en-de-service-policy.html": {"de"},
        "en-privacy-danish-section.md": {"da"},
    }


def test_outline_shows_where_the_language_changes() -> None:
    path = str(MIXED / "en-privacy-danish-section.md")
    text = _cli("outline", path)
    assert text.returncode == 0, text.stderr
    lines = {line.strip().strip("└├─│ ").split("  ")[0]: line for line in text.stdout.splitlines()}
    assert "language: da" in lines["Til danske kunder"]
    assert "language:" not in lines["What we collect"]
    data = json.loads(_cli("outline", "--format", "json", path).stdout)
    (title,) = data["sections"]
    assert {s["title"]: s["language"] for s in title["children"]}["Til danske kunder"] == "da"
    assert title["language"] is None
