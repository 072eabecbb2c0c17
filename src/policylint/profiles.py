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
from dataclasses import dataclass
from pathlib import PurePath

from .classify import compiled_phrases, kinds_present
from .config import SECTION_KINDS, Config
from .document import Document, Section
from .packs import Catalog, LanguagePack, ProfileSpec

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


def find_parts(document: Document, pack: LanguagePack, parts: list[str]) -> dict[str, PartEvidence]:
    """Evidence for each part that is present; missing parts are absent from the result."""
    found: dict[str, PartEvidence] = {}
    sections = list(document.sections())
    kinds = kinds_present(document, pack)
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
        title_pattern = compiled_phrases(tuple(vocab.title))
        if title_pattern is not None:
            section = next((s for s in sections if title_pattern.search(s.title)), None)
            if section is not None:
                found[part] = PartEvidence(part, section, section.line)
                continue
        content_pattern = compiled_phrases(tuple(vocab.content))
        for section in document.all_sections():
            body = section.body_text()
            if (content_pattern is not None and content_pattern.search(body)) or any(
                re.search(p, body, re.IGNORECASE) for p in vocab.patterns
            ):
                found[part] = PartEvidence(part, section if section.level > 0 else None, section.line)
                break
    return found
