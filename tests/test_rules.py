"""Every rule's own bad/good example (the ones the docs show) is a test case, plus behaviour tests."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import TODAY
from policylint import check_text
from policylint.config import SECTION_KINDS, Config
from policylint.packs import RuleSpec, load_catalog

CATALOG = load_catalog()
RULES = sorted((s for s in CATALOG.rules.values() if s.kind not in ("system", "change")), key=lambda s: s.id)


def _config_for(spec: RuleSpec, **extra: Any) -> Config:
    required = ["privacy", "returns", "contact", "complaints"]
    kind = spec.params.get("section_kind")
    if kind and kind not in required:
        required.append(kind)
    return Config(
        select=[spec.id], required_sections=required, today=TODAY, regions=spec.regions or [], **extra
    )


def _example(text: str) -> str:
    return text.replace("{today}", TODAY.isoformat())


@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.id)
def test_bad_example_triggers_the_rule(spec: RuleSpec) -> None:
    report = check_text(_example(spec.example.bad), "markdown", _config_for(spec))
    assert [f.rule for f in report.findings], f"{spec.id}: bad example produced no finding"
    assert {f.rule for f in report.findings} == {spec.id}
    for finding in report.findings:
        assert "{" not in finding.message, f"unfilled placeholder in {finding.message!r}"


@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.id)
def test_good_example_passes_the_rule(spec: RuleSpec) -> None:
    report = check_text(_example(spec.example.good), "markdown", _config_for(spec))
    assert report.findings == [], f"{spec.id}: good example has findings: {report.findings}"


@pytest.mark.parametrize("spec", RULES, ids=lambda s: s.id)
def test_rule_is_documented(spec: RuleSpec) -> None:
    assert len(spec.rationale.split()) >= 20, "rationale should be a real paragraph"
    assert spec.source.strip() and spec.summary.strip()


def test_every_section_kind_has_vocabulary_in_english() -> None:
    english = CATALOG.languages["en"]
    assert set(SECTION_KINDS) <= set(english.section_kinds)


def _rules(text: str, **config: Any) -> list[tuple[str, str | None]]:
    report = check_text(text, "markdown", Config(today=TODAY, **config))
    return [(f.rule, f.suggestion) for f in report.findings]


def test_jargon_matches_inflections_and_suggests_replacement() -> None:
    report = check_text(
        "# T\n\nCommenced refunds stop. It commences again.\n", config=Config(select=["jargon"])
    )
    hits = [(f.rule, f.suggestion, f.line, f.column) for f in report.findings]
    assert len(hits) == 2
    assert all(rule == "jargon.bureaucratic" and suggestion for rule, suggestion, _, _ in hits)
    assert hits[0][2:] == (3, 1)


def test_jargon_skips_code_urls_and_quotes() -> None:
    text = "# T\n\nRun `commence` now or see https://example.com/commence.\n\n> The seller shall commence delivery.\n"
    assert _rules(text, select=["jargon"]) == []


def test_vague_time_phrase_found_with_position() -> None:
    report = check_text(
        "# T\n\nWe update this policy from time to time.\n", config=Config(select=["dates.vague-time"])
    )
    (finding,) = report.findings
    assert (finding.line, finding.column, finding.end_column) == (3, 23, 40)


def test_can_spam_elements_in_other_words_are_not_flagged() -> None:
    text = "# Emails\n\nWe send a monthly newsletter. You can stop receiving it at any time.\n"
    assert _rules(text, select=["regulation.can-spam"]) == []
    missing = _rules(
        "# Emails\n\nWe send a monthly newsletter with offers.\n", select=["regulation.can-spam"]
    )
    assert len(missing) == 1


def test_required_sections_follow_config() -> None:
    text = "# Customer service policy\n\n## Privacy\n\nWe keep your data safe.\n"
    found = {r for r, _ in _rules(text, select=["sections"])}
    assert found == {"sections.missing-returns", "sections.missing-contact", "sections.missing-complaints"}
    assert _rules(text, select=["sections"], required_sections=["privacy"]) == []


def test_stale_effective_date_is_measured_against_today() -> None:
    text = "# Policy\n\nLast updated: 1 March 2025\n"
    assert [r for r, _ in _rules(text, select=["dates.stale-effective-date"])] == [
        "dates.stale-effective-date"
    ]
    fresh = check_text(
        text, config=Config(select=["dates.stale-effective-date"], today=TODAY.replace(year=2025))
    )
    assert fresh.findings == []


def test_inline_suppression() -> None:
    text = (
        "# T\n\n<!-- policylint-disable-next-line jargon -->\nWe shall reply.\n\nWe shall reply.\n\n"
        "<!-- policylint-disable dates.vague-time -->\nWe reply promptly.\n<!-- policylint-enable dates.vague-time -->\n\n"
        "We reply promptly.\n"
    )
    report = check_text(text, config=Config(select=["jargon.legalese", "dates.vague-time"]))
    assert [(f.rule, f.line) for f in report.findings] == [("jargon.legalese", 6), ("dates.vague-time", 12)]


TEXTS = {
    "en": "We refund your money within fourteen days. You can return any item you bought from us. "
    "Our team answers every question by email. Notwithstanding the aforementioned provisions, "
    "reimbursement shall be effectuated subsequent to verification of eligibility documentation.",
    "da": "Vi refunderer dine penge inden for fjorten dage. Du kan returnere alle varer. "
    "Vores kundeservice besvarer alle henvendelser. Tilbagebetalingen gennemføres efter kontrol.",
    "de": "Wir erstatten Ihr Geld innerhalb von vierzehn Tagen. Sie können jeden Artikel zurückgeben. "
    "Die Rückerstattung erfolgt nach Prüfung der Berechtigungsnachweise durch unsere Kundenbetreuung.",
}


@pytest.mark.parametrize(
    ("lang", "metric", "textstat_name", "textstat_lang"),
    [
        ("en", "flesch-kincaid-grade", "flesch_kincaid_grade", "en_US"),
        ("en", "flesch-reading-ease", "flesch_reading_ease", "en_US"),
        ("da", "lix", "lix", "da_DK"),
        ("de", "wiener-sachtextformel", "wiener_sachtextformel", "de_DE"),
    ],
)
def test_formulas_agree_with_textstat(
    monkeypatch: pytest.MonkeyPatch, lang: str, metric: str, textstat_name: str, textstat_lang: str
) -> None:
    """textstat is the reference; policylint computes the same formulas without importing it at run time."""
    textstat = pytest.importorskip("textstat")
    from textstat.backend.counts import _count_syllables

    # textstat's English syllables come from NLTK's cmudict (a download); compare on Pyphen, as we count.
    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: None)
    from policylint.readability import score

    textstat.set_lang(textstat_lang)
    func = getattr(textstat, textstat_name)
    expected = func(TEXTS[lang], 1) if textstat_name == "wiener_sachtextformel" else func(TEXTS[lang])
    assert score(TEXTS[lang], metric, lang).value == pytest.approx(expected, abs=0.6)


def test_readability_never_imports_textstat_or_nltk() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from policylint.readability import score; "
        "score('We refund you. It is easy.', 'flesch-kincaid-grade', 'en'); "
        "print('nltk' in sys.modules, 'textstat' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_regional_rules_run_only_when_their_region_is_switched_on() -> None:
    text = "# Returns\n\nYou can return items you ordered online within 7 days for store credit.\n"
    assert _rules(text, select=["eu"]) == []
    found = check_text(text, config=Config(today=TODAY, select=["eu"], regions=["eu"])).findings
    assert {f.rule for f in found} == {"eu.withdrawal-right"}
    assert all("Directive 2011/83/EU" in f.message for f in found)  # each finding cites its source


def test_rules_limited_to_profiles_skip_other_documents() -> None:
    terms_of_security = "# Security overview\n\nWe collect logs of personal data access for audits.\n"
    assert _rules(terms_of_security, select=["us"], regions=["us"]) == []


def test_coppa_statement_in_other_words_is_accepted() -> None:
    text = "# Children\n\nOur service is not directed to children, and kids under 13 may not sign up.\n"
    assert _rules(text, select=["regulation.coppa"]) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The Act says: “the seller shall deliver the goods forthwith”.",
        '"Services" shall mean the services provided pursuant to this policy.',
        "“Personal Data” means any information relating to you, as defined herein.",
    ],
)
def test_quotations_and_definitions_are_not_judged(sentence: str) -> None:
    assert _rules(f"# T\n\n{sentence}\n", select=["jargon", "dates.vague-time"]) == []


def test_our_own_words_next_to_a_quote_are_still_judged() -> None:
    text = "# T\n\nThe Act says “goods must arrive”, and we shall refund you forthwith.\n"
    rules = [r for r, _ in _rules(text, select=["jargon", "dates.vague-time"])]
    assert "jargon.legalese" in rules


def test_reduced_lemma_table_matches_like_the_full_table() -> None:
    """Lemmas are looked up only for the pack's vocabulary; matching must not change."""
    from policylint.nlp import full_lemma_table, reduce_table, vocabulary_words

    english = CATALOG.languages["en"]
    words = vocabulary_words(english.rules)
    full = full_lemma_table("en")
    reduced = reduce_table(full, words)
    assert 0 < len(reduced) < len(full) / 5
    targets = {full.get(w, w) for w in words} | set(words)
    for form, lemma in list(full.items())[:20000]:
        # Same answer to the only question matching asks: is this token's lemma one of ours?
        assert (lemma in targets) == (reduced.get(form, form) in targets) or reduced.get(form, form) == lemma


def test_capitalised_terms_mid_sentence_are_names_not_jargon() -> None:
    text = "# T\n\nSee the GitHub Sufficient Product Terms. Sufficient fees may apply to sufficient seats.\n"
    hits = check_text(text, config=Config(select=["jargon.bureaucratic"])).findings
    assert [(f.line, f.column) for f in hits] == [(3, 42), (3, 71)]


def test_frequency_words_are_vague_only_as_our_commitments() -> None:
    assert _rules("# T\n\nThe app periodically connects to our server.\n", select=["dates.vague-time"]) == []
    found = _rules("# T\n\nWe review this policy periodically.\n", select=["dates.vague-time"])
    assert [r for r, _ in found] == ["dates.vague-time"]


def test_email_marketing_that_is_not_ours_does_not_trigger_can_spam() -> None:
    text = "# Mail\n\nIf you use the feature to block promotional emails, the service checks headers.\n"
    assert _rules(text, select=["regulation.can-spam"]) == []
