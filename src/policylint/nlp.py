"""spaCy pipelines, one per language, built once per process and only when a rule needs one.

The default is fully offline: ``spacy.blank(lang)`` + a sentencizer + lookup lemmas from
spacy-lookups-data (lowercased, so "Commenced" and "commence" share a lemma). A trained pipeline
named in the config (``nlp_models = {en = "en_core_web_sm"}``) is used when installed; when it is
not, policylint falls back to the blank pipeline and says so once, rather than failing.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

#: Characters per spaCy call. Blocks are paragraphs, so this only bites on pathological input.
MAX_TEXT_CHARS = 200_000


@cache
def lemma_table(lang: str) -> Any:
    """The lookup lemma table (a spaCy ``Table``) of a language, or None when there is none."""
    try:
        from spacy.lookups import load_lookups

        lookups = load_lookups(lang, ["lemma_lookup"], strict=False)
    except Exception:  # pragma: no cover - package or table missing
        return None
    if not lookups.has_table("lemma_lookup"):
        return None
    return lookups.get_table("lemma_lookup")


class _LemmaComponent:
    """Sets ``token.lemma_`` from the lookup table, on lowercased text (a spaCy pipeline component)."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.cache: dict[str, str] = {}

    def __call__(self, doc: Any) -> Any:
        table = self.table
        cache = self.cache
        for token in doc:
            low = token.lower_
            lemma = cache.get(low)
            if lemma is None:
                found = table.get(low) if table is not None else None
                lemma = str(found).lower() if found else low
                if len(cache) < 200_000:
                    cache[low] = lemma
            token.lemma_ = lemma
        return doc


_FACTORY = "policylint_lookup_lemmas"


def _register_lemma_factory() -> None:
    from spacy.language import Language

    if Language.has_factory(_FACTORY):
        return

    def make(nlp: Language, name: str, lang: str) -> _LemmaComponent:
        return _LemmaComponent(lemma_table(lang))

    Language.factory(_FACTORY, default_config={"lang": "en"}, func=make)


@cache
def pipeline(lang: str, model: str | None = None) -> Language:
    """The spaCy pipeline for ``lang`` (a spaCy language code), built once per process."""
    import spacy

    if model:
        try:
            nlp = spacy.load(model, exclude=["ner", "parser", "textcat"])
            if "sentencizer" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
                nlp.add_pipe("sentencizer")
            nlp.max_length = max(nlp.max_length, MAX_TEXT_CHARS + 1)
            return nlp
        except (OSError, ImportError) as exc:
            log.warning(
                "spaCy pipeline %r is not installed (%s); using the blank %s pipeline", model, exc, lang
            )
    try:
        nlp = spacy.blank(lang)
    except (ImportError, KeyError, ValueError):
        log.warning("spaCy has no language %r; using the multi-language tokenizer", lang)
        nlp = spacy.blank("xx")
    nlp.add_pipe("sentencizer")
    _register_lemma_factory()
    nlp.add_pipe(_FACTORY, config={"lang": lang})
    nlp.max_length = MAX_TEXT_CHARS + 1
    return nlp
