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
from .packs import Catalog, LanguagePack, ProfileSpec, SectionKindVocabulary

DEFAULT_PROFILE = "customer-service"


@dataclass(frozen=True, slots=True)
class PartEvidence:
    """Where a required kind or part was found (section None: found in wording, not a heading)."""

    part: str
    section: Section | None
    line: int


def document_title(document: Document) -> str:
    title = document.metadata.get("title")
    if title:
        return str(title)
    for section in document.sections():
        return section.title
    html_title = document.metadata.get("html_title")
    if html_title:
        return str(html_title)
    return PurePath(document.path).stem.replace("-", " ").replace("_", " ")


def _configured(document: Document, config: Config) -> str | None:
    if config.profile:
        return config.profile
    posix = PurePath(document.path).as_posix()
    for entry in config.profiles:
        if any(
            fnmatch.fnmatch(posix, glob) or posix.endswith("/" + glob.lstrip("/")) for glob in entry.paths
        ):
            return entry.profile
    return None


def detect_profile(document: Document, pack: LanguagePack, catalog: Catalog, config: Config) -> str:
    """The profile name for a document (always one that exists in the catalog)."""
    chosen = _configured(document, config)
    if chosen is None:
        title = document_title(document)
        best: tuple[int, int, str] | None = None
        for name, vocab in pack.profiles.items():
            pattern = compiled_phrases(tuple(vocab.title))
            match = pattern.search(title) if pattern is not None else None
            if match is not None:
                rank = (match.start(), -len(match.group(0)), name)
                if best is None or rank < best:
                    best = rank
        chosen = best[2] if best is not None else config.default_profile
    if chosen not in catalog.profiles:
        chosen = (
            DEFAULT_PROFILE
            if DEFAULT_PROFILE in catalog.profiles
            else next(iter(catalog.profiles), DEFAULT_PROFILE)
        )
    return chosen


def required_kinds(profile: ProfileSpec | None, config: Config) -> list[str]:
    """Section kinds required of a document: the config's list when set, else the profile's."""
    if config.required_sections is not None:
        return list(config.required_sections)
    if profile is None:
        return ["privacy", "returns", "contact", "complaints"]
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
    return (pattern is not None and pattern.search(body) is not None) or any(
        re.search(p, body, re.IGNORECASE) for p in vocab.patterns
    )
