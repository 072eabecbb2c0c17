"""Which language a document is written in, from the stopwords in each language pack.

Function words ("the", "og", "und", "ja") are the most reliable cheap signal for telling closely
related languages apart; the counts come from the packs, so a new pack is detected with no code.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .document import Document
from .packs import Catalog, LanguagePack

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
SAMPLE_WORDS = 2000
MIN_HITS = 5
#: Texts shorter than this are too short to judge: the default language is assumed.
MIN_WORDS = 40
#: Share of words that must be a pack's function words. Text in the pack's language scores 0.3-0.5;
#: unrelated languages score under 0.12. Close relatives (Danish text on the Norwegian list) can
#: score high too, which is why the best score wins; a pack may lower its own minimum (min_share).
MIN_SHARE = 0.2


@lru_cache(maxsize=32)
def _stopword_set(pack_key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in pack_key)


def detect_text_language(text: str, packs: dict[str, LanguagePack], default: str) -> str | None:
    """The pack language ``text`` is written in; ``default`` for short texts; None when no pack fits."""
    words = [w.lower() for w in _WORD.findall(text[:40_000])][:SAMPLE_WORDS]
    if len(words) < MIN_WORDS:
        return default
    best: str | None = None
    best_score = 0.0
    for code, pack in packs.items():
        stops = _stopword_set(tuple(pack.language.stopwords))
        if not stops:
            continue
        hits = sum(1 for w in words if w in stops)
        score = hits / len(words)
        minimum = pack.language.min_share or MIN_SHARE
        if hits >= MIN_HITS and score >= minimum and score > best_score:
            best, best_score = code, score
    return best


def detect_language(document: Document, catalog: Catalog, default: str) -> str | None:
    """The most likely language of a document among the loaded packs, or None for another language."""
    return detect_text_language(document.text(), catalog.languages, default)
