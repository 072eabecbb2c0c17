"""Rule packs and language packs: the data half of every rule, read from TOML.

A *rule pack* (``rules/*.toml``) declares rules: id, kind, severity, message, rationale, source
and a bad/good example, plus language-independent parameters. A *language pack*
(``rules/lang/*.toml``) holds everything that depends on the language: stopwords for detection,
month names and effective-date markers, section-kind vocabulary, and per-rule vocabulary under
``[rules."<rule id>"]``. Adding a language therefore means adding one file, not code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import shipped
from .atomic import write_text_atomically
from .errors import RulePackError
from .findings import Severity
from .inflection import Inflection
from .locations import builtin_rules_dir as builtin_rules_dir
from .pack_regex import compile_pattern, trust

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

#: Keys whose lists hold regular expressions, in rule and language packs alike.
PATTERN_KEYS = ("patterns", "region_evidence")
RULE_ID_PATTERN = r"^[a-z][a-z0-9-]*\.[a-z0-9][a-z0-9.-]*$"


class Example(BaseModel):
    model_config = ConfigDict(extra="forbid")

    bad: str
    good: str


class RuleSpec(BaseModel):
    """One rule as declared in a pack."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=RULE_ID_PATTERN)
    kind: str
    severity: Severity
    summary: str
    message: str
    rationale: str
    source: str
    example: Example
    params: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    languages: list[str] | None = None
    #: Regional packs ("us", "eu"): the rule runs only when the config's `regions` names one.
    regions: list[str] | None = None
    #: Document profiles the rule applies to (None: every profile).
    profiles: list[str] | None = None
    #: Plain-language advice owed to consumers: in a document written for businesses or
    #: officials (a profile whose ``audience`` is not ``consumers``), at most ``info``.
    for_consumers: bool = False
    pack: str = ""

    @property
    def family(self) -> str:
        return self.id.split(".", 1)[0]


class PackHeader(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""


class RulePackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pack: PackHeader
    rule: list[RuleSpec] = Field(default_factory=list)


class LanguageInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(pattern=r"^[a-z]{2,3}$")
    name: str
    spacy: str
    stopwords: list[str] = Field(default_factory=list)
    #: Share of a text's words that must be stopwords for detection (default: language.MIN_SHARE).
    #: Languages whose formal register uses few function words (Estonian) set it lower.
    min_share: float | None = Field(default=None, gt=0, lt=1)


class DatesVocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    months: dict[str, int] = Field(default_factory=dict)
    effective_markers: list[str] = Field(default_factory=list)
    numeric_order: str = Field(default="MDY", pattern=r"^(MDY|DMY|YMD)$")
    #: How `policylint init` introduces the last-updated date ("Last updated", "Senest opdateret").
    updated_label: str = "Last updated"
    #: The twelve month names as a date in a message writes them (January…, or the genitive
    #: "siječnja"… in Croatian). A pack without them uses the English pack's.
    month_names: list[str] = Field(default_factory=list)
    #: How a message writes a date: {day}, {month} (a name from month_names) and {year}.
    date_format: str = "{day} {month} {year}"

    @field_validator("months")
    @classmethod
    def _month_numbers(cls, value: dict[str, int]) -> dict[str, int]:
        bad = {k: v for k, v in value.items() if not 1 <= v <= 12}
        if bad:
            raise ValueError(f"month numbers must be 1-12, got {bad}")
        return {k.lower(): v for k, v in value.items()}

    @field_validator("month_names")
    @classmethod
    def _twelve(cls, value: list[str]) -> list[str]:
        if value and len(value) != 12:
            raise ValueError(f"month_names must list 12 names, got {len(value)}")
        return value

    def long_date(self, date: dt.date) -> str:
        """A date written out in the pack's language ("3 April 2025", "3. april 2025")."""
        month = self.month_names[date.month - 1] if self.month_names else str(date.month)
        return self.date_format.format(day=date.day, month=month, year=date.year)


class SectionKindVocabulary(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str
    title: list[str] = Field(default_factory=list)
    content: list[str] = Field(default_factory=list)
    #: Regular expressions (case-insensitive) that also count as content evidence (parts only).
    patterns: list[str] = Field(default_factory=list)
    #: Section kinds whose presence satisfies this part (parts only): a contact section gives
    #: contact details.
    kinds: list[str] = Field(default_factory=list)
    #: Words (matched from a word start) of which the document must use one for the part to be
    #: required (parts only): the condition of returned items, exchanges and return shipping are
    #: about goods, so a refund policy for a software subscription is not asked for them.
    applies_if: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, value: list[str]) -> list[str]:
        import re

        for pattern in value:
            compile_pattern(pattern, re.IGNORECASE)  # refuses what neither re nor RE2 will run
        return value


class ProfileVocabulary(BaseModel):
    """A document profile in one language: phrases of the document's title that recognise it, and
    its name in messages and as the title `policylint init` writes."""

    model_config = ConfigDict(extra="forbid")

    title: list[str] = Field(default_factory=list)
    #: The profile's name in the language ("privatlivspolitik"); default: the profile's own label.
    label: str | None = None


class MessageLabels(BaseModel):
    """Words that rules fill into their messages, in the pack's language (``[labels]``).

    Whatever a pack leaves out is taken from the English pack when the catalog loads, so a
    message never shows a bare key; English itself is data too (rules/lang/en-profiles.toml).
    """

    model_config = ConfigDict(extra="forbid")

    #: Joins the last two items of a list ("email and phone", "e-mail og telefon").
    and_word: str = ""
    #: Joins the last two alternatives ("a phone number or live chat").
    or_word: str = ""
    #: contact.too-few-channels {found}, when some channels are found: {channels} lists them.
    channels_found: str = ""
    #: contact.too-few-channels {found}, when none is.
    channels_none: str = ""
    #: How {found} names each channel kind: email, phone, postal, web, chat.
    channels: dict[str, str] = Field(default_factory=dict)
    #: How {add} names each channel kind to add ("an email address").
    channels_to_add: dict[str, str] = Field(default_factory=dict)
    #: consistency.* {what}: the commitment a period belongs to (return-window, withdrawal,
    #: refund-timing). Default: the label in the rule's `classes` parameter (English).
    periods: dict[str, str] = Field(default_factory=dict)

    def fill_from(self, other: MessageLabels) -> None:
        """Take every value this pack leaves out from ``other`` (the English pack)."""
        for name in ("and_word", "or_word", "channels_found", "channels_none"):
            if not getattr(self, name):
                setattr(self, name, getattr(other, name))
        for name in ("channels", "channels_to_add"):
            table: dict[str, str] = getattr(self, name)
            for key, value in getattr(other, name).items():
                table.setdefault(key, value)

    def merge(self, extra: MessageLabels) -> None:
        """Add what a second pack file of the same language sets."""
        for name in ("and_word", "or_word", "channels_found", "channels_none"):
            if getattr(extra, name):
                setattr(self, name, getattr(extra, name))
        self.channels.update(extra.channels)
        self.channels_to_add.update(extra.channels_to_add)
        self.periods.update(extra.periods)


class SkeletonEntry(BaseModel):
    """A heading and the guidance `policylint init` writes under it, for one required part."""

    model_config = ConfigDict(extra="forbid")

    heading: str
    guidance: str


class ReadabilitySettings(BaseModel):
    """Which readability formula a language uses and how to read its score as a school grade."""

    model_config = ConfigDict(extra="forbid")

    metric: str = "flesch-kincaid-grade"
    hyphenation: str | None = None
    #: How this language's messages name the metric ({metric} in readability.* messages): words a
    #: reader knows, not the formula's id. None falls back to readability.METRIC_LABELS.
    name: str | None = None


class LanguagePack(BaseModel):
    """All vocabulary of one language."""

    model_config = ConfigDict(extra="forbid")

    language: LanguageInfo
    dates: DatesVocabulary = Field(default_factory=DatesVocabulary)
    readability: ReadabilitySettings = Field(default_factory=ReadabilitySettings)
    section_kinds: dict[str, SectionKindVocabulary] = Field(default_factory=dict)
    #: Finer-grained parts a profile requires (retention, return window…): found by title or content.
    parts: dict[str, SectionKindVocabulary] = Field(default_factory=dict)
    profiles: dict[str, ProfileVocabulary] = Field(default_factory=dict)
    #: Headings and guidance for `policylint init`, by section kind or part.
    skeletons: dict[str, SkeletonEntry] = Field(default_factory=dict)
    #: Words rules fill into messages (channel names, "and", "or"…).
    labels: MessageLabels = Field(default_factory=MessageLabels)
    #: How suggestions are put into the form of the word they replace (substitution rules).
    inflection: Inflection = Field(default_factory=Inflection)
    rules: dict[str, dict[str, Any]] = Field(default_factory=dict)
    path: str = ""
    #: The file that gave a rule's key ("rule id/key"), where it is not ``path``: a user pack
    #: extending this language (set when packs are merged; errors name the file at fault).
    rule_sources: dict[str, str] = Field(default_factory=dict, exclude=True)

    def rule_source(self, rule_id: str, key: str) -> str:
        """The pack file that set ``key`` for ``rule_id`` in this language."""
        return self.rule_sources.get(f"{rule_id}/{key}", self.path)

    @property
    def code(self) -> str:
        return self.language.code

    def kind_label(self, kind: str) -> str:
        vocab = self.section_kinds.get(kind) or self.parts.get(kind)
        return vocab.label if vocab else kind.replace("-", " ")

    def profile_label(self, name: str, default: str) -> str:
        """A profile's name in this language; ``default`` (the profile's own label) when the pack has none."""
        vocab = self.profiles.get(name)
        return vocab.label if vocab is not None and vocab.label else default


class ProfileSpec(BaseModel):
    """A kind of document (privacy notice, returns policy…) and what it must contain."""

    model_config = ConfigDict(extra="forbid")

    label: str
    description: str = ""
    #: Section kinds (privacy, returns, contact…) and parts (privacy-retention…) the profile needs.
    requires: list[str] = Field(default_factory=list)
    #: False for documents that make no promises to consumers (community guidelines, developer
    #: terms, business agreements…) or whose kind is unknown: rules whose duty is owed to
    #: customers (a dated, yearly reviewed policy) are then advice, at most ``info``.
    customer_facing: bool = True
    #: Who reads the document: ``consumers`` (the default), ``businesses`` (developer terms, a
    #: data-processing agreement, advertising rules) or ``officials`` (law-enforcement guidance).
    #: Rules marked ``for_consumers`` (plain language, readability) are advice elsewhere.
    audience: Literal["consumers", "businesses", "officials"] = "consumers"
    pack: str = ""


class ProfilePackFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: dict[str, ProfileSpec]


#: Where parsed packs are kept between runs, as JSON named by a digest of the TOML bytes; None
#: (the library default) writes nothing. The CLI points it into its cache folder, beside the
#: lemma and hyphenation tables, so pruning treats all three alike.
PARSED_CACHE_DIR: Path | None = None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read rule pack: {exc.strerror or exc}") from None
    parsed = shipped.read(shipped.pack_name(raw))  # a built-in pack, parsed when we built it
    if isinstance(parsed, dict):
        return parsed
    cached = _cached_parse(raw)
    if cached is not None:
        return cached
    data = parse_toml(path, raw)
    _store_parse(raw, data)
    return data


def parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    """A pack's TOML bytes as data; a RulePackError naming ``path`` if they are not valid TOML."""
    try:
        # What read_text() gave before: universal newlines, so CRLF files parse the same.
        text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        raise RulePackError(f"{path}: cannot read rule pack: not UTF-8 ({exc.reason})") from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulePackError(f"{path}: not valid TOML: {exc}") from None
    return data


def _parse_cache_file(raw: bytes) -> Path | None:
    if PARSED_CACHE_DIR is None:
        return None
    python = f"{sys.version_info[0]}.{sys.version_info[1]}"  # tomllib is part of Python
    return PARSED_CACHE_DIR / f"{hashlib.sha256(raw).hexdigest()[:32]}-py{python}.json"


def _cached_parse(raw: bytes) -> dict[str, Any] | None:
    """A pack's parsed TOML from an earlier run, or None.

    tomllib parses the 23 built-in packs in about 0.05 s on every process start, a twentieth of a
    pre-commit run on one file; json reads the same data back several times faster. The file is
    named by the TOML bytes' digest, so an edited pack is simply a miss. JSON, not pickle: the
    cache folder may sit in a checked-out repository, and loading it must never run code.
    """
    cached = _parse_cache_file(raw)
    if cached is None:
        return None
    try:
        data = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _store_parse(raw: bytes, data: dict[str, Any]) -> None:
    cached = _parse_cache_file(raw)
    if cached is None:
        return
    try:
        # TOML dates and times have no JSON form: such a pack is parsed every time instead.
        text = json.dumps(data, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        return
    with contextlib.suppress(OSError):  # a read-only cache only costs time
        write_text_atomically(cached, text)


def _validation_message(path: Path, exc: ValidationError, data: dict[str, Any]) -> str:
    lines = [f"{path}: invalid rule pack"]
    for item in exc.errors():
        loc = list(item["loc"])
        where = ".".join(str(p) for p in loc)
        if loc[:1] == ["rule"] and len(loc) > 1 and isinstance(loc[1], int):
            rules = data.get("rule", [])
            rid = (
                rules[loc[1]].get("id", "?")
                if loc[1] < len(rules) and isinstance(rules[loc[1]], dict)
                else "?"
            )
            where = f"rule {rid!r}: " + ".".join(str(p) for p in loc[2:])
        if item["type"] == "extra_forbidden":
            lines.append(f"  {where}: unknown key")
        elif item["type"] == "missing":
            lines.append(f"  {where}: required key is missing")
        else:
            lines.append(f"  {where}: {item['msg']}")
    return "\n".join(lines)


def load_rule_pack(path: Path, data: dict[str, Any] | None = None) -> list[RuleSpec]:
    data = data if data is not None else _read_toml(path)
    try:
        parsed = RulePackFile.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(_validation_message(path, exc, data)) from None
    for spec in parsed.rule:
        spec.pack = str(path)
    return parsed.rule


def load_language_pack(path: Path, data: dict[str, Any] | None = None) -> LanguagePack:
    data = data if data is not None else _read_toml(path)
    try:
        pack = LanguagePack.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(_validation_message(path, exc, data)) from None
    pack.path = str(path)
    return pack


def _toml_files(paths: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            # A language's base pack (da.toml) loads before its extensions (da-profiles.toml), so
            # the base's settings (date order, readability metric) are the ones that stay.
            files.extend(
                sorted(path.rglob("*.toml"), key=lambda p: (str(p.parent), p.stem.split("-")[0], p.stem))
            )
        elif path.is_file():
            files.append(path)
        else:
            raise RulePackError(f"{path}: rule path does not exist (check `rule_paths` in your config)")
    return files


def load_profile_pack(path: Path, data: dict[str, Any]) -> dict[str, ProfileSpec]:
    try:
        parsed = ProfilePackFile.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(_validation_message(path, exc, data)) from None
    for spec in parsed.profile.values():
        spec.pack = str(path)
    return parsed.profile


class Catalog(BaseModel):
    """Every rule and language pack in effect for a run."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rules: dict[str, RuleSpec]
    languages: dict[str, LanguagePack]
    profiles: dict[str, ProfileSpec] = Field(default_factory=dict)

    def language(self, code: str | None, default: str = "en") -> LanguagePack:
        if code and code in self.languages:
            return self.languages[code]
        if default in self.languages:
            return self.languages[default]
        return next(iter(self.languages.values()))


def load_catalog(extra_paths: tuple[Path, ...] = ()) -> Catalog:
    """Load the built-in packs plus any extra ones. Duplicate rule ids are an error."""
    return _load_catalog_cached(tuple(sorted(str(p) for p in extra_paths)))


def builtin_patterns(data: Any) -> list[str]:
    """Every regular expression in a pack's data: the strings listed under a ``patterns`` or
    ``region_evidence`` key."""
    found: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in PATTERN_KEYS and isinstance(value, list):
                    found.extend(v for v in value if isinstance(v, str))
                else:
                    stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return found


@lru_cache(maxsize=8)
def _load_catalog_cached(extra: tuple[str, ...]) -> Catalog:
    files = _toml_files([builtin_rules_dir(), *(Path(p) for p in extra)])
    rules: dict[str, RuleSpec] = {}
    languages: dict[str, LanguagePack] = {}
    profiles: dict[str, ProfileSpec] = {}
    builtin = builtin_rules_dir()
    for path in files:
        data = _read_toml(path)
        if path.is_relative_to(builtin):
            trust(builtin_patterns(data))
        if "language" in data:
            pack = load_language_pack(path, data)
            existing = languages.get(pack.code)
            languages[pack.code] = _merge_language(existing, pack) if existing is not None else pack
        elif "profile" in data:
            for name, profile in load_profile_pack(path, data).items():
                if name in profiles and profiles[name].pack != profile.pack:
                    profile = profile.model_copy(
                        update={"requires": profile.requires or profiles[name].requires}
                    )
                profiles[name] = profile
        else:
            for spec in load_rule_pack(path, data):
                if spec.id in rules:
                    raise RulePackError(
                        f"{path}: rule id {spec.id!r} is already defined in {rules[spec.id].pack}; rule ids must be unique"
                    )
                rules[spec.id] = spec
    if not languages:
        raise RulePackError(f"{builtin_rules_dir()}: no language packs found (expected rules/lang/*.toml)")
    english = languages.get("en")
    if english is not None:
        for code, pack in languages.items():
            if code != "en":  # what a pack does not translate stays English, as it was
                pack.labels.fill_from(english.labels)
                if not pack.dates.month_names:
                    pack.dates.month_names = list(english.dates.month_names)
    return Catalog(rules=rules, languages=languages, profiles=profiles)


def _merge_language(base: LanguagePack, extra: LanguagePack) -> LanguagePack:
    """A user language pack for a built-in language extends it: lists are added, tables merged."""
    merged = base.model_copy(deep=True)
    merged.language.stopwords = [*base.language.stopwords, *extra.language.stopwords]
    merged.dates.months.update(extra.dates.months)
    merged.dates.effective_markers = [*base.dates.effective_markers, *extra.dates.effective_markers]
    for table_name in ("section_kinds", "parts"):
        table: dict[str, SectionKindVocabulary] = getattr(merged, table_name)
        for kind, vocab in getattr(extra, table_name).items():
            if kind in table:
                table[kind].title = [*table[kind].title, *vocab.title]
                table[kind].content = [*table[kind].content, *vocab.content]
            else:
                table[kind] = vocab
    merged.skeletons.update(extra.skeletons)
    for name in ("month_names", "date_format", "updated_label"):
        if name in extra.dates.model_fields_set and name not in base.dates.model_fields_set:
            setattr(merged.dates, name, getattr(extra.dates, name))
    merged.labels.merge(extra.labels)
    if "inflection" in extra.model_fields_set:
        merged.inflection = extra.inflection.model_copy(deep=True)
    for name, profile_vocab in extra.profiles.items():
        current = merged.profiles.setdefault(name, ProfileVocabulary())
        current.title = [*current.title, *profile_vocab.title]
        if profile_vocab.label:
            current.label = profile_vocab.label
    for rule_id, data in extra.rules.items():
        target = merged.rules.setdefault(rule_id, {})
        for key, value in data.items():
            merged.rule_sources[f"{rule_id}/{key}"] = extra.path
            if isinstance(value, list) and isinstance(target.get(key), list):
                target[key] = [*target[key], *value]
            elif isinstance(value, dict) and isinstance(target.get(key), dict):
                target[key] = {**target[key], **value}
            else:
                target[key] = value
    return merged
