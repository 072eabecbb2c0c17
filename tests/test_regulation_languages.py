"""regulation.coppa and regulation.telemarketing speak every built-in language (issue 17: no rule
may skip a built-in language in silence). Outside English they check the national law behind the
same duty: GDPR Art. 8 as each country applies it, and each country's rules on sales calls."""

from __future__ import annotations

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.config import Config
from policylint.engine import vocabulary_status
from policylint.packs import load_catalog

BUILT_IN = ("en", "da", "nb", "de", "hr", "et")

# (children mentioned while collecting data, the same with an age limit)
CHILDREN = {
    "da": ("Vi indsamler oplysninger, når børn opretter en profil.", "Du skal være mindst 13 år."),
    "nb": ("Vi samler inn opplysninger når barn oppretter en profil.", "Du må være minst 13 år."),
    "de": ("Wir erheben Daten, wenn Kinder ein Konto anlegen.", "Sie müssen mindestens 16 Jahre alt sein."),
    "hr": ("Prikupljamo podatke kada djeca otvore račun.", "Morate imati najmanje 16 godina."),
    "et": ("Me kogume andmeid, kui lapsed loovad konto.", "Peate olema vähemalt 13-aastane."),
}
# (our sales calls, the same with a way to refuse them and consent)
CALLS = {
    "da": (
        "Vi kontakter dig med telefonsalg.",
        "Vi ringer kun med dit samtykke, og du kan frabede dig opkald via Robinsonlisten.",
    ),
    "nb": (
        "Vi kontakter deg med telefonsalg.",
        "Vi ringer bare med ditt samtykke, og du kan reservere deg i Reservasjonsregisteret.",
    ),
    "de": (
        "Wir nutzen Telefonwerbung für neue Angebote.",
        "Wir rufen nur mit Ihrer ausdrücklichen Einwilligung an, die Sie jederzeit widerrufen können.",
    ),
    "hr": (
        "Naša telefonska prodaja nudi nove usluge.",
        "Zovemo samo uz vašu privolu, a možete se upisati u registar ne zovi.",
    ),
    "et": (
        "Meie telefonimüük pakub uusi teenuseid.",
        "Helistame ainult teie nõusolekul ja te võite kõnedest loobuda.",
    ),
}


def _rules(text: str, language: str, rule: str) -> list[str]:
    config = Config(language=language, select=[rule], today=TODAY)
    return [f.rule for f in check_text(f"# Policy\n\n{text}\n", "markdown", config).findings]


def test_every_built_in_language_has_words_for_every_rule() -> None:
    for code in BUILT_IN:
        lacking = [rule for rule, ok in vocabulary_status(Config(), code).items() if ok is False]
        assert lacking == [], (code, lacking)


@pytest.mark.parametrize("language", sorted(CHILDREN))
def test_children_without_an_age_limit(language: str) -> None:
    mention, limit = CHILDREN[language]
    assert _rules(mention, language, "regulation.coppa") == ["regulation.coppa"]
    assert _rules(f"{mention} {limit}", language, "regulation.coppa") == []


@pytest.mark.parametrize("language", sorted(CALLS))
def test_sales_calls_without_consent_or_a_way_to_refuse(language: str) -> None:
    mention, answer = CALLS[language]
    assert _rules(mention, language, "regulation.telemarketing") == ["regulation.telemarketing"]
    assert _rules(f"{mention} {answer}", language, "regulation.telemarketing") == []


def test_the_packs_cite_the_national_law() -> None:
    catalog = load_catalog()
    for code in CHILDREN:
        elements = catalog.languages[code].rules["regulation.coppa"]["elements"]
        assert all(e.get("source") for e in elements), code


# (a notice naming only the controller, a full one) for eu.gdpr-notice with regions = ["eu"]
GDPR = {
    "da": (
        "Vi behandler dine personoplysninger. Dataansvarlig er Butik ApS.",
        "Retsgrundlaget er artikel 6. Oplysningerne slettes efter 5 år. Du har ret til indsigt og sletning. Du kan klage til Datatilsynet.",
    ),
    "de": (
        "Wir verarbeiten personenbezogene Daten. Verantwortlicher ist die Shop GmbH.",
        "Rechtsgrundlage ist Art. 6 DSGVO. Die Daten werden nach 5 Jahren gelöscht. Sie haben ein Recht auf Auskunft und Löschung. Sie können sich bei einer Aufsichtsbehörde beschweren.",
    ),
    "et": (
        "Me töötleme teie isikuandmeid. Vastutav töötleja on Pood OÜ.",
        "Õiguslik alus on artikkel 6. Andmeid säilitatakse 5 aastat. Teil on õigus juurdepääsule ja kustutamisele. Kaebuse saate esitada Andmekaitse Inspektsioonile.",
    ),
}


@pytest.mark.parametrize("language", sorted(GDPR))
def test_gdpr_notice_elements_in_the_countrys_words(language: str) -> None:
    short, rest = GDPR[language]
    config = Config(
        language=language, select=["eu.gdpr-notice"], today=TODAY, regions=["eu"], profile="privacy-notice"
    )
    found = check_text(f"# Policy\n\n{short}\n", "markdown", config).findings
    assert [f.rule for f in found] == ["eu.gdpr-notice"]
    assert check_text(f"# Policy\n\n{short} {rest}\n", "markdown", config).findings == []
