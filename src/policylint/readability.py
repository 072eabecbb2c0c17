"""Readability formulas, computed with textstat, offline.

textstat 0.7.13 counts English syllables with NLTK's cmudict and *downloads it* on first use,
which fails offline (``LookupError``) and costs a second even online. policylint routes English
syllable counting to the Pyphen hyphenation dictionaries that textstat already uses for every
other language, so no data is fetched at run time. Pyphen undercounts syllables slightly for
English compared with cmudict; thresholds in the packs are set with that in mind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

#: Metric name -> (textstat function name, True when a higher score means harder text).
METRICS: dict[str, tuple[str, bool]] = {
    "flesch-kincaid-grade": ("flesch_kincaid_grade", True),
    "flesch-reading-ease": ("flesch_reading_ease", False),
    "lix": ("lix", True),
    "rix": ("rix", True),
    "wiener-sachtextformel": ("wiener_sachtextformel", True),
    "gunning-fog": ("gunning_fog", True),
}

#: Pyphen dictionaries for languages whose spaCy code differs from the hyphenation code.
_HYPHENATION = {
    "en": "en_US",
    "da": "da_DK",
    "nb": "nb_NO",
    "nn": "nn_NO",
    "hr": "hr_HR",
    "et": "et_EE",
    "de": "de_DE",
}


@dataclass(frozen=True, slots=True)
class Score:
    metric: str
    value: float
    higher_is_harder: bool

    def exceeds(self, limit: float) -> bool:
        return self.value > limit if self.higher_is_harder else self.value < limit


@lru_cache(maxsize=1)
def _textstat() -> Any:
    """Import textstat with its cmudict download disabled (see the module docstring)."""
    import textstat
    from textstat.backend.counts import _count_syllables

    def no_cmudict(lang: str) -> None:
        return None

    _count_syllables.get_cmudict = no_cmudict
    return textstat


def score(text: str, metric: str, lang: str, hyphenation: str | None = None) -> Score:
    """Compute ``metric`` for ``text`` in language ``lang``."""
    if metric not in METRICS:
        raise ValueError(f"unknown readability metric {metric!r}; known: {', '.join(METRICS)}")
    func_name, harder = METRICS[metric]
    ts = _textstat()
    ts.set_lang(hyphenation or _HYPHENATION.get(lang, lang))
    func = getattr(ts, func_name)
    value = float(func(text) if func_name != "wiener_sachtextformel" else func(text, 1))
    return Score(metric, round(value, 1), harder)
