"""readability.long-sentence: advice just over the limit, a warning far over it."""

from __future__ import annotations

from conftest import TODAY
from policylint import check_text
from policylint.config import Config

_WORDS = ["you", "can", "send", "the", "item", "back", "to", "us", "and", "we", "will", "refund", "it"]


def _sentence(words: int) -> str:
    return " ".join(_WORDS[i % len(_WORDS)] for i in range(words)) + "."


def _long(text: str, **config: object) -> list[tuple[int, str]]:
    report = check_text(text, "markdown", Config(today=TODAY, select=["readability.long-sentence"], **config))  # type: ignore[arg-type]
    return [(f.line, f.severity.value) for f in report.findings]


def test_just_over_the_limit_is_advice_and_twice_the_limit_a_warning() -> None:
    text = f"# T\n\n{_sentence(30)}\n\n{_sentence(40)}\n\n{_sentence(69)}\n\n{_sentence(70)}\n"
    assert _long(text) == [(5, "info"), (7, "info"), (9, "warning")]


def test_a_configured_severity_applies_to_the_far_too_long_only() -> None:
    text = f"# T\n\n{_sentence(40)}\n\n{_sentence(90)}\n"
    assert _long(text, severity={"readability.long-sentence": "error"}) == [(3, "info"), (5, "error")]


def test_a_document_grade_just_over_the_limit_is_info() -> None:
    """Grade 12.7 against 10 is a warning; against 12 it is within the formulas' error (less
    than 1.15 x the limit), so info."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "examples" / "needs-work" / "service-policy.md").read_text()
    config = Config(select=["readability.document-grade"], today=TODAY)
    assert [f.severity.value for f in check_text(text, config=config).findings] == ["warning"]
    near = config.model_copy(
        update={"readability": config.readability.model_copy(update={"document_max_grade": 12.0})}
    )
    assert [f.severity.value for f in check_text(text, config=near).findings] == ["info"]
