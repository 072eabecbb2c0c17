"""Periods of time stated in text: "within 30 days", "one month", "3-5 business days".

Both the response-time rule (is an answer time promised?) and the consistency rule (do two
statements of one commitment differ?) need the same periods with exact positions and lengths in
hours, and change review compares them between versions; so they are found here, once, with
plain regular expressions. Units, number words and business-day words come from a
:class:`PeriodVocabulary` filled from the language pack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .phrases import _FOLDS_TO_ASCII, _alternation, vocab_key


class PeriodVocabulary(BaseModel):
    """Words that make a period of time: units (with their length in hours) and number words."""

    model_config = ConfigDict(extra="forbid")

    units: dict[str, float] = Field(default_factory=dict, description="Unit word -> length in hours.")
    number_words: dict[str, float] = Field(default_factory=dict, description="Number word -> value.")
    business_words: list[str] = Field(default_factory=list, description="business, working (days).")
    calendar_words: list[str] = Field(default_factory=list, description="calendar (days).")
    business_units: list[str] = Field(
        default_factory=list,
        description="Units that are business days in one word (Werktage, hverdage, tööpäeva); also in units.",
    )
    range_words: list[str] = Field(
        default_factory=list, description="Words between two numbers of a range (3 to 5 days, 3 bis 5 Tage)."
    )

    @field_validator("units")
    @classmethod
    def _positive(cls, value: dict[str, float]) -> dict[str, float]:
        bad = [k for k, v in value.items() if v <= 0]
        if bad:
            raise ValueError(f"unit lengths must be positive hours, got {bad}")
        return {k.lower(): v for k, v in value.items()}

    def key(self) -> tuple[object, ...]:
        return (
            tuple(sorted(self.units.items())),
            tuple(sorted((k.lower(), v) for k, v in self.number_words.items())),
            tuple(self.business_words),
            tuple(self.calendar_words),
            tuple(w.lower() for w in self.business_units),
            tuple(self.range_words),
        )


@dataclass(frozen=True, slots=True)
class Period:
    """A stated period of time: "within 30 days" has amount 30, unit "days", 720 hours."""

    start: int
    end: int
    text: str
    amount: float
    hours: float
    business: bool
    is_range: bool  # "3-5 business days": concrete, but not one comparable value

    def same_length(self, other: Period) -> bool:
        if self.business != other.business:
            return False
        return abs(self.hours - other.hours) <= 0.01 * max(self.hours, other.hours)


@lru_cache(maxsize=32)
def _period_pattern(key: tuple[object, ...]) -> re.Pattern[str] | None:
    units, numbers, business, calendar, _, ranges = key
    assert isinstance(units, tuple) and isinstance(numbers, tuple)
    assert isinstance(business, tuple) and isinstance(calendar, tuple) and isinstance(ranges, tuple)
    if not units:
        return None
    number = r"\d+(?:[.,]\d+)?"
    if numbers:
        number += "|" + _alternation(k for k, _ in numbers)
    quals = _alternation([*business, *calendar])
    # A range word ("to", "bis", "do") is a word of its own; a dash may stand without spaces.
    joins = r"\s*[-–—]\s*" + (r"|\s+(?:" + _alternation(ranges) + r")\s+" if ranges else "")
    return re.compile(
        rf"(?<![\w.,])(?P<num>{number})(?:(?:{joins})(?P<num2>{number}))?"
        r"(?:\s*\([\w\s-]{1,20}\))?"
        rf"(?:\s+|\s*-\s*)(?:(?P<qual>{quals})(?:\s+|\s*-\s*))?"
        rf"(?P<unit>{_alternation(k for k, _ in units)})(?!\w)",
        re.IGNORECASE,
    )


@lru_cache(maxsize=32)
def _period_words(key: tuple[object, ...]) -> tuple[dict[str, float], frozenset[str], frozenset[str]]:
    """Number words, business-day words and business-day units of a vocabulary, lowercased
    (see PeriodVocabulary.key)."""
    numbers_items = key[1]
    business_words = key[2]
    business_units = key[4]
    assert isinstance(numbers_items, tuple) and isinstance(business_words, tuple)
    assert isinstance(business_units, tuple)
    return (
        dict(numbers_items),
        frozenset(str(w).lower() for w in business_words),
        frozenset(str(w).lower() for w in business_units),
    )


@lru_cache(maxsize=32)
def _unit_words(key: tuple[object, ...]) -> tuple[str, ...] | None:
    """What every period's unit starts with (each unit up to its first space), or None when a unit
    is not ASCII: case-insensitive matching then has Unicode folds a lowercased search misses."""
    units = key[0]
    assert isinstance(units, tuple)
    words = tuple(sorted({str(unit).strip().split(" ", 1)[0].lower() for unit, _ in units}))
    return words if all(w.isascii() for w in words) else None


def _may_have_unit(text: str, key: tuple[object, ...]) -> bool:
    """False when ``text`` has none of the unit words, so it cannot state a period.

    For ASCII words, the pattern's case-insensitive match finds only ASCII letters (or one of
    :data:`_FOLDS_TO_ASCII`), so without those a substring test on the lowercased text decides.
    It is far cheaper than the pattern, whose number words ("a", "one") start a match attempt
    at almost every word.
    """
    words = _unit_words(key)
    if words is None or (not text.isascii() and any(ch in text for ch in _FOLDS_TO_ASCII)):
        return True
    lowered = text.lower()
    return any(word in lowered for word in words)


def find_periods(text: str, vocab: PeriodVocabulary) -> list[Period]:
    """Every "number + time unit" in ``text`` ("30 days", "one month", "5-business-day")."""
    key = vocab_key(vocab)
    pattern = _period_pattern(key)
    if pattern is None or not _may_have_unit(text, key):
        return []
    numbers, business, business_units = _period_words(key)
    periods: list[Period] = []
    for match in pattern.finditer(text):
        value = _number(match.group("num2") or match.group("num"), numbers)
        if value is None:
            continue
        unit_word = match.group("unit").lower()
        unit = vocab.units.get(unit_word)
        if unit is None:
            continue
        qual = (match.group("qual") or "").lower()
        periods.append(
            Period(
                start=match.start(),
                end=match.end(),
                text=match.group(0),
                amount=value,
                hours=value * unit,
                business=" ".join(qual.split()) in business or unit_word in business_units,
                is_range=match.group("num2") is not None,
            )
        )
    return periods


def _number(text: str, words: dict[str, float]) -> float | None:
    cleaned = text.lower().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return words.get(" ".join(cleaned.split()))
