"""Document profiles: a privacy notice, a returns policy, terms and a customer-service policy each
need different things, so each document is matched to a profile and checked against its needs.

The profile comes from the config (``profile``, or ``[[profiles]]`` entries matching the path),
else from the document's title (front matter ``title``, the first heading, or the file name)
using the language pack's ``[profiles.*]`` phrases, else the config's ``default_profile``.
A profile's ``requires`` names section kinds and finer *parts*; a part counts as present when a
section title, wording anywhere in the document, or one of its patterns shows it.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from .classify import compiled_phrases, kinds_present, section_pack
from .config import SECTION_KINDS, Config
from .document import Document, Section
from .pack_regex import searches
from .packs import Catalog, LanguagePack, ProfileSpec, SectionKindVocabulary

DEFAULT_PROFILE = "generic"

#: A leading line longer than this is prose, not the document's title.
_TITLE_WORDS = 14
#: File stems that name no document ("docs/privacy/index.md" is named by its folder).
_ANONYMOUS_STEMS = frozenset({"index", "readme", "default", "page", "content", "main"})
#: Content evidence: at least this many of a profile's requirements under headings of their own,
#: and at least this share of them, before the content decides the profile.
_CONTENT_MIN_FOUND = 3
_CONTENT_MIN_SHARE = 0.6


@dataclass(frozen=True, slots=True)
class ProfileChoice:
    """The profiles a document is held to, and why.

    ``names`` has one entry, or several when the title names several kinds ("Returns, Privacy and
    Contact" is a returns policy and a privacy notice). ``evidence`` is the text that decided (the
    title, the file name, the config key…), shown by ``outline`` and in the JSON output.
    """

    names: tuple[str, ...]
    source: str
    evidence: str = ""

    @property
    def name(self) -> str:
        """One name for the whole choice: the profiles joined with "+"."""
        return "+".join(self.names)

    @property
    def certain(self) -> bool:
        """True when the document's kind is known rather than inferred (``source`` is config,
        title or path, not content or default): only then may a missing required part be an
        error (an inference can be wrong, and a wrong error costs trust)."""
        return self.source in ("config", "title", "path")


@dataclass(frozen=True, slots=True)
class PartEvidence:
    """Where a required kind or part was found (section None: found in wording, not a heading)."""

    part: str
    section: Section | None
    line: int


def title_candidates(document: Document) -> list[str]:
    """The texts that may name the document's kind, most telling first: the front-matter title, a
    short line standing before the first heading ("**Acme Terms of Service**"), the first heading,
    the HTML ``<title>``."""
    found: list[str] = []
    title = document.metadata.get("title")
    if title:
        found.append(str(title))
    leading = next((b.text.strip() for b in document.root.blocks if b.text.strip()), "")
    if leading and len(leading.split()) <= _TITLE_WORDS and not leading.endswith((".", ":", ";")):
        found.append(leading)
    first = next(document.sections(), None)
    if first is not None and first.title:
        found.append(first.title)
    html_title = document.metadata.get("html_title")
    if html_title:
        found.append(str(html_title))
    return found


def file_name_title(path: str) -> str:
    """The file's name as words ("refund-policy.md" -> "refund policy"); a name such as
    ``index.md`` says nothing, so its folder's name stands in."""
    pure = PurePath(path)
    stem = pure.stem
    if stem.lower() in _ANONYMOUS_STEMS and pure.parent.name:
        stem = pure.parent.name
    return re.sub(r"[-_.]+", " ", stem).strip()


def _configured(document: Document, config: Config) -> ProfileChoice | None:
    if config.profile:
        return ProfileChoice((config.profile,), "config", "profile")
    posix = PurePath(document.path).as_posix()
    for entry in config.profiles:
        for glob in entry.paths:
            if fnmatch.fnmatch(posix, glob) or posix.endswith("/" + glob.lstrip("/")):
                return ProfileChoice((entry.profile,), "config", f"profiles: {glob}")
    return None


def profiles_named(text: str, pack: LanguagePack, catalog: Catalog) -> list[str]:
    """The profiles a title names, in the order it names them.

    Every profile's phrases are matched; where matches overlap the longest wins ("Law Enforcement
    Guidelines" is law-enforcement guidance, not community guidelines), and each remaining match
    adds its profile, so a title that names several kinds holds the document to each of them.
    Profiles that require nothing add nothing to such a union: of those, only the one named by
    the longest phrase is kept, and only when no profile with requirements is named
    ("Guidelines for Legal Requests" is law-enforcement guidance, not also community guidelines).
    """
    spans: list[tuple[int, int, str]] = []
    for name, vocab in pack.profiles.items():
        if name not in catalog.profiles:
            continue
        pattern = compiled_phrases(tuple(vocab.title))
        if pattern is None:
            continue
        spans.extend((m.start(), m.end(), name) for m in pattern.finditer(text))
    taken: list[tuple[int, int, str]] = []
    for start, end, name in sorted(spans, key=lambda s: (s[0] - s[1], s[0])):
        if all(end <= a or start >= b for a, b, _ in taken):
            taken.append((start, end, name))
    names: list[str] = []
    for _, _, name in sorted(taken):
        if name not in names and catalog.profiles[name].requires:
            names.append(name)
    if names or not taken:
        return names
    start, end, name = max(taken, key=lambda s: (s[1] - s[0], -s[0]))
    return [name]


def _from_content(
    document: Document, pack: LanguagePack, catalog: Catalog, packs: Mapping[str, LanguagePack] | None
) -> ProfileChoice | None:
    """A profile most of whose requirements stand under headings of their own: a document with
    sections on what is collected, why, who receives it and for how long is a privacy notice,
    whatever its title. Only headings count (wording alone is too weak to decide a kind)."""
    kinds = kinds_present(document, pack, packs)
    sections = list(document.sections())
    best: tuple[float, int, str] | None = None
    for name, spec in catalog.profiles.items():
        wanted = list(spec.requires)
        if len(wanted) < _CONTENT_MIN_FOUND:
            continue
        found = [
            part
            for part in wanted
            if (part in SECTION_KINDS and kinds.get(part))
            or (part not in SECTION_KINDS and any(_part_title(s, part, pack, packs) for s in sections))
        ]
        share = len(found) / len(wanted)
        if len(found) >= _CONTENT_MIN_FOUND and share >= _CONTENT_MIN_SHARE:
            rank = (share, len(found), name)
            if best is None or rank > best:
                best = rank
    if best is None:
        return None
    share, count, name = best
    return ProfileChoice((name,), "content", f"{count} of its {round(count / share)} parts have headings")


def detect_profile(
    document: Document,
    pack: LanguagePack,
    catalog: Catalog,
    config: Config,
    packs: Mapping[str, LanguagePack] | None = None,
) -> ProfileChoice:
    """The profiles a document is held to and the reason: the config, else its title, else its
    file name, else what its sections are about, else the config's ``default_profile`` (the
    built-in default, ``generic``, requires no sections)."""
    chosen = _configured(document, config)
    if chosen is None:
        for text in title_candidates(document):
            names = profiles_named(text, pack, catalog)
            if names:
                chosen = ProfileChoice(tuple(names), "title", text)
                break
    if chosen is None:
        stem = file_name_title(document.path)
        names = profiles_named(stem, pack, catalog)
        if names:
            chosen = ProfileChoice(tuple(names), "path", PurePath(document.path).name)
    if chosen is None:
        chosen = _from_content(document, pack, catalog, packs)
    if chosen is None:
        explicit = "default_profile" in config.model_fields_set
        chosen = ProfileChoice(
            (config.default_profile,), "config" if explicit else "default", "default_profile"
        )
    known = tuple(n for n in chosen.names if n in catalog.profiles)
    if not known:
        fallback = DEFAULT_PROFILE if DEFAULT_PROFILE in catalog.profiles else next(iter(catalog.profiles))
        return ProfileChoice((fallback,), "default", chosen.evidence)
    return chosen if known == chosen.names else ProfileChoice(known, chosen.source, chosen.evidence)


def combined_profile(choice: ProfileChoice, catalog: Catalog) -> ProfileSpec | None:
    """One spec for the choice: a single profile as it is, several as the union of their needs."""
    specs = [catalog.profiles[n] for n in choice.names if n in catalog.profiles]
    if not specs:
        return None
    if len(specs) == 1:
        return specs[0]
    requires: list[str] = []
    for spec in specs:
        requires.extend(r for r in spec.requires if r not in requires)
    return specs[0].model_copy(
        update={
            "requires": requires,
            "label": " and ".join(s.label for s in specs),
            "customer_facing": any(s.customer_facing for s in specs),
        }
    )


def required_kinds(profile: ProfileSpec | None, config: Config) -> list[str]:
    """Section kinds required of a document: the config's list when set, else the profile's."""
    if config.required_sections is not None:
        return list(config.required_sections)
    if profile is None:
        return []
    return [k for k in profile.requires if k in SECTION_KINDS]


def required_parts(profile: ProfileSpec | None) -> list[str]:
    if profile is None:
        return []
    return [k for k in profile.requires if k not in SECTION_KINDS]


def find_parts(
    document: Document,
    pack: LanguagePack,
    parts: list[str],
    packs: Mapping[str, LanguagePack] | None = None,
) -> dict[str, PartEvidence]:
    """Evidence for each part that is present; missing parts are absent from the result.

    Each section is read with its own language's vocabulary (``packs`` by code, see
    :attr:`Section.language`); ``pack`` is the document's.
    """
    found: dict[str, PartEvidence] = {}
    sections = list(document.sections())
    kinds = kinds_present(document, pack, packs)
    for part in parts:
        if part in SECTION_KINDS:
            hits = kinds.get(part)
            if hits:
                found[part] = PartEvidence(part, hits[0], hits[0].line)
            continue
        vocab = pack.parts.get(part)
        if vocab is None:
            continue
        by_kind = next((kinds[k][0] for k in vocab.kinds if kinds.get(k)), None)
        if by_kind is not None:
            found[part] = PartEvidence(part, by_kind, by_kind.line)
            continue
        section = next((s for s in sections if _part_title(s, part, pack, packs)), None)
        if section is not None:
            found[part] = PartEvidence(part, section, section.line)
            continue
        for section in document.all_sections():
            if _part_content(section, part, pack, packs):
                found[part] = PartEvidence(part, section if section.level > 0 else None, section.line)
                break
    return found


def _part_vocabulary(
    section: Section, part: str, pack: LanguagePack, packs: Mapping[str, LanguagePack] | None
) -> SectionKindVocabulary | None:
    own = section_pack(section, pack, packs)
    return own.parts.get(part) or pack.parts.get(part)


def _part_title(
    section: Section, part: str, pack: LanguagePack, packs: Mapping[str, LanguagePack] | None
) -> bool:
    vocab = _part_vocabulary(section, part, pack, packs)
    pattern = compiled_phrases(tuple(vocab.title)) if vocab is not None else None
    return pattern is not None and pattern.search(section.title) is not None


def _part_content(
    section: Section, part: str, pack: LanguagePack, packs: Mapping[str, LanguagePack] | None
) -> bool:
    vocab = _part_vocabulary(section, part, pack, packs)
    if vocab is None:
        return False
    body = section.body_text()
    pattern = compiled_phrases(tuple(vocab.content))
    found = pattern is not None and pattern.search(body) is not None
    return found or searches(vocab.patterns, body, re.IGNORECASE)
