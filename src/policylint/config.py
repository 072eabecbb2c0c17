"""Configuration: ``[tool.policylint]`` in pyproject.toml or a ``policylint.toml``, validated strictly.

Configs are found by walking up from each checked file (the nearest wins, as in ruff), or named
with ``--config``. Unknown keys and bad values are errors that name the file, the key and what is
allowed, because a silently ignored typo in a CI gate is worse than a failed run.
"""

from __future__ import annotations

import datetime as dt
import difflib
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import ConfigError
from .findings import Severity
from .replay import note_file, note_probe

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_FILENAMES = ("policylint.toml", ".policylint.toml", "pyproject.toml")
FailOn = Literal["error", "warning", "info", "never"]
SECTION_KINDS = (
    "privacy",
    "returns",
    "contact",
    "complaints",
    "shipping",
    "payment",
    "warranty",
    "cookies",
    "children",
    "changes",
    "effective-date",
)


class ReadabilityConfig(BaseModel):
    """Thresholds for the readability rules (shortcuts for their ``params``)."""

    model_config = ConfigDict(extra="forbid")

    document_max_grade: float | None = Field(default=None, ge=0, le=30)
    section_max_grade: float | None = Field(default=None, ge=0, le=30)
    sentence_max_words: int | None = Field(default=None, ge=5, le=500)
    min_words: int | None = Field(default=None, ge=0)


class ProfileAssignment(BaseModel):
    """Which profile files matching some glob patterns have."""

    model_config = ConfigDict(extra="forbid")

    paths: list[str] = Field(min_length=1)
    profile: str


class Config(BaseModel):
    """Every setting policylint reads. Field descriptions become the configuration reference."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    select: list[str] | None = Field(
        default=None,
        description="Rules to run: ids or prefixes ('jargon', 'dates.vague-time'). Default: all rules.",
    )
    extend_select: list[str] = Field(default_factory=list, description="Rules to add to `select`.")
    ignore: list[str] = Field(default_factory=list, description="Rules (ids or prefixes) never to run.")
    severity: dict[str, Severity] = Field(
        default_factory=dict, description="Severity overrides by rule id or prefix, e.g. {jargon = 'info'}."
    )
    fail_on: FailOn = Field(default="error", description="Lowest severity that makes the exit code 1.")
    fail_on_empty: bool = Field(
        default=False,
        description="Exit with code 2 when the paths given hold no policy file (a mistyped or empty "
        "folder), instead of passing with a warning. Same as `--fail-on-empty`.",
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Gitignore-style patterns of paths not to check when walking folders.",
    )
    per_file_ignores: dict[str, list[str]] = Field(
        default_factory=dict, description="Glob -> rules to ignore in matching files."
    )
    required_sections: list[str] | None = Field(
        default=None,
        description="Section kinds every checked policy must have; default: those of the document's profile "
        "(a customer-service policy needs privacy, returns, contact and complaints).",
    )
    profile: str | None = Field(
        default=None,
        description="Force one profile for every document (customer-service, privacy-notice, returns-policy, "
        "terms, cookie-policy, shipping-policy… : the table in docs/rules.md). Default: detected from each "
        "document's title, file name or content.",
    )
    profiles: list[ProfileAssignment] = Field(
        default_factory=list,
        description="Profiles by path: [[tool.policylint.profiles]] paths = ['legal/privacy*.md'] profile = 'privacy-notice'.",
    )
    regions: list[Literal["us", "eu"]] = Field(
        default_factory=list,
        description="Regional rule packs to switch on: 'us' (CalOPPA, CCPA) and/or 'eu' (GDPR Art. 13, "
        "the 14-day right of withdrawal).",
    )
    default_profile: str = Field(
        default="generic",
        description="Profile of documents whose title, file name and content name no known kind. The "
        "default, `generic`, requires no sections; setting this key (e.g. to `customer-service`) holds "
        "such documents to that profile as if their title named it.",
    )
    readability: ReadabilityConfig = Field(
        default_factory=ReadabilityConfig,
        description="Readability limits: document_max_grade, section_max_grade, sentence_max_words, min_words.",
    )
    stale_after_months: int = Field(
        default=12, ge=1, le=120, description="Age at which an effective date is stale."
    )
    change_notice_days: int = Field(
        default=30,
        ge=0,
        le=365,
        description="`policylint diff`: days of notice a less favourable change needs before it takes "
        "effect (change.short-notice).",
    )
    today: dt.date | None = Field(
        default=None, description="The date staleness is measured against (default: today)."
    )
    language: str | None = Field(
        default=None, description="Force a language code; default: detect per document."
    )
    default_language: str = Field(default="en", description="Language assumed when detection is unsure.")
    section_languages: bool = Field(
        default=True,
        description="Detect sections written in another language than their document (and read HTML lang "
        "attributes on sections) and check them with that language's rules; false checks every section "
        "in the document's language. Off when `language` is set.",
    )
    rule_paths: list[Path] = Field(
        default_factory=list, description="Extra rule packs (TOML files or folders)."
    )
    params: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Parameter overrides per rule id, e.g. {'readability.long-sentence' = {max_words = 30}}.",
    )
    nlp_models: dict[str, str] = Field(
        default_factory=dict,
        description="Trained spaCy pipelines to use per language when installed, e.g. {en = 'en_core_web_sm'}.",
    )
    report_unused_disables: bool = Field(
        default=False,
        description="Report inline `policylint-disable` comments that silence no finding "
        "(rule `suppression.unused`), as `--report-unused-disables` does.",
    )
    max_file_bytes: int = Field(
        default=50_000_000, ge=1, description="Files larger than this are skipped with a finding."
    )

    #: Where this config came from (not a user key).
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("required_sections")
    @classmethod
    def _known_kinds(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = [k for k in value if k not in SECTION_KINDS]
        if unknown:
            raise ValueError(f"unknown section kind(s) {unknown}; allowed: {', '.join(SECTION_KINDS)}")
        return value

    def fingerprint(self) -> str:
        """A stable text form of the resolved settings, for cache keys."""
        return self.model_dump_json(exclude={"source"})


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` Did you mean: x?`` for the choices closest to a mistyped ``value``, or nothing: the
    hint every "unknown X" message in policylint ends with."""
    close = difflib.get_close_matches(value, sorted(set(choices)), n=3, cutoff=0.6)
    return f" Did you mean: {', '.join(close)}?" if close else ""


def unknown_language(what: str, value: str, languages: Mapping[str, str]) -> str | None:
    """The error for a language setting that names no language pack, or None when it names one.

    ``languages`` maps each available code to its language's name (user packs under
    ``rule_paths`` add theirs). A name or a misspelt code ("english", "dk") is answered with the
    code it most likely means, because an unknown language silently turns every language rule off.
    """
    if value in languages:
        return None
    by_name = {name.lower(): code for code, name in languages.items()}
    exact = by_name.get(value.strip().lower())
    guesses = [exact] if exact else difflib.get_close_matches(value.lower(), [*languages, *by_name], 3, 0.7)
    codes = list(dict.fromkeys(by_name.get(g, g) for g in guesses))
    hint = f" Did you mean: {', '.join(f'{c} ({languages[c]})' for c in codes)}?" if codes else ""
    return (
        f"{what} {value!r} is not a language policylint has a pack for; "
        f"allowed codes: {', '.join(sorted(languages))}.{hint}"
    )


def _format_validation_error(path: Path | str, error: ValidationError, prefix: str) -> str:
    lines = [f"{path}: invalid configuration"]
    for item in error.errors():
        key = ".".join(str(p) for p in (*([prefix] if prefix else []), *item["loc"]))
        if item["type"] == "extra_forbidden":
            known = ", ".join(sorted(k for k in Config.model_fields if k != "source"))
            lines.append(f"  unknown key `{key}`; known keys: {known}")
        else:
            lines.append(f"  `{key}`: {item['msg']} (got {item.get('input')!r})")
    return "\n".join(lines)


def _resolve_paths(data: dict[str, Any], base: Path) -> dict[str, Any]:
    if "rule_paths" in data and isinstance(data["rule_paths"], list):
        data["rule_paths"] = [str((base / str(p)).resolve()) for p in data["rule_paths"]]
    return data


def config_from_mapping(data: dict[str, Any], source: Path | str = "<config>", prefix: str = "") -> Config:
    """Validate a mapping as a Config, turning pydantic's errors into a message a user can act on."""
    normalised = {str(k).replace("-", "_"): v for k, v in data.items()}
    try:
        config = Config.model_validate(normalised)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(source, exc, prefix)) from None
    config.source = Path(source) if not isinstance(source, Path) else source
    return config


def load_config_file(path: Path) -> Config | None:
    """Read a config file. Returns None for a pyproject.toml without a ``[tool.policylint]`` table."""
    note_file(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read configuration: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    prefix = ""
    if path.name == "pyproject.toml":
        tool = raw.get("tool", {})
        if "policylint" not in tool:
            return None
        raw = tool["policylint"]
        prefix = "tool.policylint"
    elif "tool" in raw and isinstance(raw["tool"], dict) and "policylint" in raw["tool"] and len(raw) == 1:
        raw = raw["tool"]["policylint"]
        prefix = "tool.policylint"
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: [tool.policylint] must be a table")
    return config_from_mapping(_resolve_paths(dict(raw), path.parent), path, prefix)


def _probe_exists(path: Path) -> bool:
    note_probe(path)
    return path.exists()


class ConfigResolver:
    """Finds the config that applies to each file, reading every config file once."""

    def __init__(
        self,
        explicit: Path | None = None,
        overrides: dict[str, Any] | None = None,
        fixed: Config | None = None,
    ) -> None:
        self._explicit = explicit
        self._overrides = overrides or {}
        self._by_dir: dict[Path, Config] = {}
        self._explicit_config: Config | None = fixed
        if explicit is not None:
            if not explicit.is_file():
                raise ConfigError(f"{explicit}: configuration file not found")
            loaded = load_config_file(explicit)
            self._explicit_config = self._apply(loaded or Config(source=explicit))

    def _apply(self, config: Config) -> Config:
        if not self._overrides:
            return config
        merged = config.model_dump(exclude={"source"}, exclude_unset=True)
        merged.update(self._overrides)
        result = config_from_mapping(merged, "command line")
        result.source = config.source
        return result

    def for_path(self, path: Path) -> Config:
        if self._explicit_config is not None:
            return self._explicit_config
        directory = path.parent if not path.is_dir() else path
        return self.for_directory(directory.resolve())

    def for_directory(self, directory: Path) -> Config:
        cached = self._by_dir.get(directory)
        if cached is not None:
            return cached
        found: Config | None = None
        for name in CONFIG_FILENAMES:
            candidate = directory / name
            note_probe(candidate)  # a config file created here later must be noticed by a replay
            if candidate.is_file():
                found = load_config_file(candidate)
                if found is not None:
                    break
        if found is not None:
            config = self._apply(found)
        elif directory.parent != directory and not _probe_exists(directory / ".git"):
            config = self.for_directory(directory.parent)
        else:
            config = self._apply(Config())
        self._by_dir[directory] = config
        return config


def as_config(config: Config | dict[str, Any] | None) -> Config:
    """A library caller's config: a :class:`Config`, a mapping of its keys (validated as a config
    file would be, named ``<api>`` in errors), or None for the defaults."""
    if config is None:
        return Config()
    if isinstance(config, Config):
        return config
    return config_from_mapping(config, "<api>")
