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


@lru_cache(maxsize=32)
def _stopword_set(pack_key: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w.lower() for w in pack_key)


def detect_text_language(text: str, packs: dict[str, LanguagePack], default: str) -> str:
    words = [w.lower() for w in _WORD.findall(text[:40_000])][:SAMPLE_WORDS]
    if not words:
        return default
    best, best_score = default, 0.0
    for code, pack in packs.items():
        stops = _stopword_set(tuple(pack.language.stopwords))
        if not stops:
            continue
        hits = sum(1 for w in words if w in stops)
        score = hits / len(words)
        if hits >= MIN_HITS and score > best_score:
            best, best_score = code, score
    return best


def detect_language(document: Document, catalog: Catalog, default: str) -> str:
    """The most likely language code of a document among the loaded language packs."""
    return detect_text_language(document.text(), catalog.languages, default)
