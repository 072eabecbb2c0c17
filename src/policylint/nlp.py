"""spaCy pipelines, one per language, built once per process and only when a rule needs one.

The default is fully offline: ``spacy.blank(lang)`` + a sentencizer + lookup lemmas from
spacy-lookups-data (lowercased, so "Commenced" and "commence" share a lemma), reduced to the
pack's vocabulary and shipped for the built-in packs (shipped.py), so that spacy-lookups-data
itself is the optional extra ``policylint[lookups]``, needed only by other packs. A trained pipeline
named in the config (``nlp_models = {en = "en_core_web_sm"}``) is used when installed; when it is
not, policylint falls back to the blank pipeline and says so once, rather than failing.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import heap, shipped
from .atomic import write_text_atomically
from .errors import RulePackError

if TYPE_CHECKING:
    from spacy.language import Language

    from .packs import LanguagePack

log = logging.getLogger(__name__)

#: Where reduced lemma tables are cached between runs; None (the library default) writes nothing.
#: The CLI points it into its result cache unless --no-cache is given.
LEMMA_CACHE_DIR: Path | None = None

#: Whether building a pipeline freezes the heap (``gc.freeze()``); the CLI turns it on.
#: Everything alive once a pipeline is built (spaCy, its vocabulary, the rule packs) lives as long
#: as a ``policylint`` process, yet each full garbage collection walked all of it again: about a
#: twentieth of each document's time. Frozen objects leave the collector's generations; they are
#: still freed when their last reference goes, but cyclic garbage among them never is. That is
#: harmless in a short-lived CLI process and a surprise in a host application, so the library
#: default leaves the collector alone.
FREEZE_HEAP = False

#: Characters per spaCy call. Blocks are paragraphs, so this only bites on pathological input.
MAX_TEXT_CHARS = 200_000


#: The install extra that brings spacy-lookups-data.
LOOKUPS_EXTRA = "policylint[lookups]"


@cache
def lookups_dir() -> Path | None:
    """spacy-lookups-data's data folder, or None when the optional extra is not installed."""
    try:
        import spacy_lookups_data  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Path(spacy_lookups_data.__file__).parent / "data"


def lookups_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("spacy-lookups-data")
    except PackageNotFoundError:
        return None


def lookups_file(lang: str) -> Path | None:
    folder = lookups_dir()
    path = folder / f"{lang}_lemma_lookup.json.gz" if folder is not None else None
    return path if path is not None and path.is_file() else None


def _shipped_lemma_languages() -> frozenset[str]:
    """The languages spacy-lookups-data has a lemma table for, as recorded with the shipped tables."""
    index = shipped.read(shipped.LEMMA_LANGUAGES)
    languages = index.get("languages") if isinstance(index, dict) else None
    return frozenset(str(lang) for lang in languages) if isinstance(languages, list) else frozenset()


def shipped_lemma_table(lang: str, words: frozenset[str]) -> dict[str, str] | None:
    """The lemma table shipped for this language and vocabulary (a built-in pack's), if any."""
    table = shipped.read(shipped.lemma_name(lang, words)) if words else None
    if isinstance(table, dict) and all(isinstance(v, str) for v in table.values()):
        return table
    return None


def needs_lookups(lang: str, words: frozenset[str]) -> bool:
    """Whether a pack's lemmas need spacy-lookups-data and it is not installed: no table is
    shipped for its vocabulary, and spacy-lookups-data has a table for its language."""
    if lookups_dir() is not None or lang not in _shipped_lemma_languages():
        return False
    return not words or not (shipped.FOLDER / f"{shipped.lemma_name(lang, words)}.json.gz").is_file()


def missing_lookups_message(lang: str, where: str) -> str:
    return (
        f"{where}: the language pack for {lang!r} has no lemma table shipped with policylint (its "
        f"vocabulary differs from the built-in pack's, or it is another language); its lemmas come "
        f"from spacy-lookups-data, which is not installed: `pip install '{LOOKUPS_EXTRA}'`"
    )


def require_lemma_data(pack: LanguagePack) -> None:
    """Raise RulePackError, before any file is checked, when ``pack`` needs the lookups extra.

    Only a pack with a user's file in it can: tests/test_prebuilt.py makes sure every built-in
    pack's table is shipped, and working out a vocabulary costs about 10 ms a pack."""
    from .locations import builtin_rules_dir

    builtin = str(builtin_rules_dir())
    users = sorted(p for p in {pack.path, *pack.rule_sources.values()} if not p.startswith(builtin))
    if users and needs_lookups(pack.language.spacy, pack_words(pack)):
        raise RulePackError(missing_lookups_message(pack.language.spacy, ", ".join(users)))


@cache
def full_lemma_table(lang: str) -> dict[str, str]:
    """The complete lookup table of a language (form -> lemma, lowercased); empty when there is none.

    Read straight from spacy-lookups-data's JSON: spaCy's own ``load_lookups`` converts the table
    into a hash-keyed ``Table``, which takes seconds for Danish or Croatian (over a million forms).
    """
    path = lookups_file(lang)
    if path is None:
        return {}
    with gzip.open(path, "rb") as handle:
        data = json.loads(handle.read())
    return {str(k).lower(): str(v).lower() for k, v in data.items()}


#: Pack keys whose text is shown, never matched: a pack that only translates a rule's message
#: keeps the built-in vocabulary, so its shipped lemma table (and no policylint[lookups]) serves.
_NOT_MATCHED = frozenset({"message"})


def _words(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        out.update(w for w in re.findall(r"[^\W\d_]+", value.lower()))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_MATCHED:
                continue
            _words(key, out)
            _words(item, out)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _words(item, out)


def vocabulary_words(rules_data: dict[str, Any]) -> frozenset[str]:
    """Every word of every phrase a language pack gives its rules: the only words whose lemma matters."""
    found: set[str] = set()
    _words(rules_data, found)
    return frozenset(found)


def reduce_table(table: dict[str, str], words: frozenset[str]) -> dict[str, str]:
    """The part of a lemma table that can change a phrase match.

    Matching compares lemmas with the lemmas of the pack's phrase words (L). An entry matters only
    when its lemma or its form is in L; for every other form, "lemma = the form itself" gives the
    same answer (no match) as the full table. This keeps a few thousand of a million entries.
    """
    targets = {table.get(w, w) for w in words} | set(words)
    return {form: lemma for form, lemma in table.items() if lemma in targets or form in targets}


@cache
def lemma_table(lang: str, words: frozenset[str] = frozenset()) -> dict[str, str]:
    """The lemma table a pipeline uses, reduced to ``words`` (see reduce_table): shipped with
    policylint for the built-in packs (see shipped.py), else derived and cached on disk, so only
    the first run with a changed or user pack pays for reading the full table."""
    shipped = shipped_lemma_table(lang, words)  # every built-in pack's (see shipped.py)
    if shipped is not None:
        return shipped
    if needs_lookups(lang, words):
        raise RulePackError(missing_lookups_message(lang, f"language {lang!r}"))
    path = lookups_file(lang)
    if path is None:
        return {}
    if not words:
        return full_lemma_table(lang)
    digest = hashlib.sha256("\n".join(sorted(words)).encode()).hexdigest()[:16]
    stamp = f"{path.stat().st_size}-{int(path.stat().st_mtime)}"
    if LEMMA_CACHE_DIR is None:
        return reduce_table(full_lemma_table(lang), words)
    cached = LEMMA_CACHE_DIR / f"{lang}-{stamp}-{digest}.json"
    try:
        data: dict[str, str] = json.loads(cached.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        pass
    reduced = reduce_table(full_lemma_table(lang), words)
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        write_text_atomically(cached, json.dumps(reduced))
    return reduced


class _LemmaComponent:
    """Sets ``token.lemma_`` from the lookup table, on lowercased text (a spaCy pipeline component).

    Works on hash arrays, not Token objects: a form's lemma is its lowercase form unless the
    table says otherwise, so the lowercase column maps through a hash-to-hash dict and is
    written back in one call (three times faster than setting ``lemma_`` token by token).
    """

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        self._hashes: dict[int, int] = {}
        self._hashed: tuple[int, int] | None = None  # (id of the table, id of the vocab) hashed

    def _hash_map(self, doc: Any) -> dict[int, int]:
        key = (id(self.table), id(doc.vocab))
        if self._hashed != key:
            strings = doc.vocab.strings
            self._hashes = {strings.add(form): strings.add(lemma) for form, lemma in self.table.items()}
            self._hashed = key
        return self._hashes

    def __call__(self, doc: Any) -> Any:
        if not len(doc):
            return doc
        import numpy
        from spacy.attrs import LEMMA, LOWER

        mapping = self._hash_map(doc)
        lowers = doc.to_array(LOWER).tolist()
        # map(get, keys, defaults) runs the look-ups in C: a generator expression cost a
        # Python frame step per token.
        lemmas = numpy.fromiter(map(mapping.get, lowers, lowers), dtype=numpy.uint64, count=len(lowers))
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


#: SENT_START values as Doc.from_array takes them (uint64): 1 starts a sentence, -1 does not.
_START = 1
_NOT_START = 2**64 - 1


def sentence_starts(orth: list[int], is_punct: list[int], punct_hashes: frozenset[int]) -> list[bool]:
    """Which tokens start a sentence, by spaCy's Sentencizer rule.

    The rule: the first token starts a sentence, and so does every token that is neither
    punctuation nor a sentence-final character (``punct_chars``) when such a character came
    after the last token of that kind. ``orth`` holds ORTH hashes, ``is_punct`` IS_PUNCT flags,
    ``punct_hashes`` is the set of the final characters' hashes. One plain loop over two lists:
    blocks are paragraphs (tens of tokens), where the dozen numpy calls of an array version cost
    more than the loop, and token-by-token work on Token objects cost a tenth of a run.
    """
    starts: list[bool] = []
    append = starts.append
    seen_final = False
    for h, punct in zip(orth, is_punct, strict=True):
        if h in punct_hashes:
            seen_final = True
            append(False)
        elif seen_final and not punct:
            seen_final = False
            append(True)
        else:
            append(False)
    if starts:
        starts[0] = True
    return starts


class _Sentences:
    """spaCy's Sentencizer (same ``punct_chars``, same decisions), run on hash lists, not Token objects."""

    def __init__(self, punct_chars: Iterable[str]) -> None:
        self.punct_chars = set(punct_chars)
        self._hashes: Any = None
        self._vocab_id: int | None = None

    def punct_hashes(self, vocab: Any) -> Any:
        if self._vocab_id != id(vocab):
            self._hashes = frozenset(vocab.strings.add(c) for c in self.punct_chars)
            self._vocab_id = id(vocab)
        return self._hashes

    def set_starts(self, doc: Any) -> None:
        """Set every token's sentence start, overwriting what was there (merged pieces)."""
        if not len(doc):
            return
        import numpy
        from spacy.attrs import IS_PUNCT, ORTH, SENT_START

        orth, punct = doc.to_array([ORTH, IS_PUNCT]).T.tolist()
        starts = sentence_starts(orth, punct, self.punct_hashes(doc.vocab))
        values = numpy.array([_START if s else _NOT_START for s in starts], dtype=numpy.uint64)
        doc.from_array([SENT_START], values.reshape(-1, 1))

    def __call__(self, doc: Any) -> Any:
        self.set_starts(doc)
        return doc


_FACTORY = "policylint_lookup_lemmas"
_SENTENCES = "policylint_sentences"


def _register_factories() -> None:
    from spacy.language import Language

    if not Language.has_factory(_FACTORY):

        def make(nlp: Language, name: str, lang: str) -> _LemmaComponent:
            return _LemmaComponent({})  # the table is set by pipeline(), which knows the vocabulary

        Language.factory(_FACTORY, default_config={"lang": "en"}, func=make)
    if not Language.has_factory(_SENTENCES):

        def make_sentences(nlp: Language, name: str) -> _Sentences:
            from spacy.pipeline import Sentencizer

            return _Sentences(Sentencizer.default_punct_chars)

        Language.factory(_SENTENCES, func=make_sentences)


_WORDS_BY_PACK: dict[int, frozenset[str]] = {}


def pipeline_for(pack: LanguagePack, model: str | None = None) -> Language:
    """The pipeline for a language pack, with lemmas reduced to the pack's vocabulary."""
    return pipeline(pack.language.spacy, model, pack_words(pack))


def pack_words(pack: LanguagePack) -> frozenset[str]:
    """The pack's vocabulary (see vocabulary_words), worked out once per pack object."""
    words = _WORDS_BY_PACK.get(id(pack))
    if words is None:
        words = _WORDS_BY_PACK[id(pack)] = vocabulary_words(pack.rules)
    return words


@cache
def pipeline(lang: str, model: str | None = None, words: frozenset[str] = frozenset()) -> Language:
    """The spaCy pipeline for ``lang`` (a spaCy language code), built once per process.

    ``words`` are the words of the phrases rules will match: lemmas are only looked up for them
    (see reduce_table); without them the full lookup table is used.
    """
    nlp = _build_pipeline(lang, model, words)
    if FREEZE_HEAP:
        heap.freeze()
    return nlp


def _build_pipeline(lang: str, model: str | None, words: frozenset[str]) -> Language:
    from .spacy_import import import_spacy

    import_spacy()  # first, so that the import below skips spaCy's command-line package
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
    _register_factories()
    nlp.add_pipe(_SENTENCES, name="sentencizer")  # spaCy's rule on arrays (see sentence_starts)
    component = nlp.add_pipe(_FACTORY, config={"lang": lang})
    assert isinstance(component, _LemmaComponent)
    component.table = lemma_table(lang, words)
    nlp.max_length = MAX_TEXT_CHARS + 1
    return nlp
