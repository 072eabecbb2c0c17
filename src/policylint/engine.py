"""The lint pipeline for one document: parse → language → classify → rules → suppress → findings.

The engine owns the decisions rules must not make: which rules run (selection), at what
severity, where a finding points, which findings inline comments and per-file ignores silence,
and what happens when a rule crashes (an ``internal.rule-error`` finding for that file and rule,
while every other rule still runs).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import logging
import traceback
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from . import regex_cache
from .checks import kind_class
from .checks.base import CheckContext, Hit, NlpRefused, RuleKind, render_message
from .classify import classify_document
from .config import Config, did_you_mean, unknown_language
from .document import Document
from .errors import ConfigError, RulePackError
from .findings import FileReport, Finding, SectionInfo, Severity
from .language import assign_section_languages, detect_language, section_languages
from .packs import Catalog, LanguagePack, RuleSpec, load_catalog
from .parsers import parse
from .parsers.office import page_of
from .profiles import combined_profile, detect_profile
from .selection import is_selected, severity_for, validate_patterns
from .suppress import Use, directive_problems, suppress
from .timings import TIMINGS, rule_label

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """One file's result: its report entry and findings."""

    file: FileReport
    findings: list[Finding]


def catalog_for(config: Config) -> Catalog:
    return load_catalog(tuple(config.rule_paths))


def build_rule(spec: RuleSpec, pack: LanguagePack, config: Config) -> RuleKind:
    """Instantiate a rule for one language: pack params + language vocabulary + config overrides."""
    cls = kind_class(spec.kind, spec.pack)
    data = dict(spec.params)
    vocab = dict(pack.rules.get(spec.id, {}))
    message = vocab.pop("message", None)  # a language pack may translate the rule's message
    for key, value in vocab.items():
        if key in cls.language_keys or key not in data:
            data[key] = value
    data.update(config.params.get(spec.id, {}))
    try:
        params = cls.Params.model_validate(data)
    except ValidationError as exc:
        raise _params_error(spec, pack, config, cls, exc) from None
    rule = cls(spec, params, pack)
    if message is not None:
        if not isinstance(message, str):
            raise RulePackError(f"{pack.path}: [rules.{spec.id!r}] message must be a string")
        rule.message = message
    return rule


def _params_error(
    spec: RuleSpec, pack: LanguagePack, config: Config, cls: type[RuleKind], exc: ValidationError
) -> ConfigError | RulePackError:
    """Invalid parameters, blamed on the file that set the first bad key: the user's config
    (``params``; :func:`validate_config` adds its path), a language pack extending this language
    (a user's, under ``rule_paths``), or the rule's own pack. A misspelt key gets a did-you-mean."""
    user = config.params.get(spec.id, {})
    vocab = pack.rules.get(spec.id, {})
    problems: list[str] = []
    origins: list[str | None] = []
    for error in exc.errors():
        key = str(error["loc"][0]) if error["loc"] else ""
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = "unknown parameter." + did_you_mean(key, cls.Params.model_fields)
        problems.append(f"{'.'.join(str(p) for p in error['loc'])}: {message}")
        origins.append(None if key in user else pack.rule_source(spec.id, key) if key in vocab else spec.pack)
    text = "; ".join(problems)
    if origins and origins[0] is None:
        return ConfigError(f"`params` for rule {spec.id!r} are invalid: {text}")
    return RulePackError(
        f"{origins[0] if origins else spec.pack}: rule {spec.id!r} has invalid parameters: {text}"
    )


def vocabulary_status(config: Config, lang: str) -> dict[str, bool | None]:
    """For every rule: True when language ``lang`` gives it the words it needs, False when it
    lacks them (the rule would be skipped and reported as ``language.partial``), None when the
    rule is not for that language (``languages`` in its spec), is about the run itself, or
    compares two versions (``change`` rules: ``policylint diff`` reads their words itself).

    ``lang`` must be a pack of the config's catalog (built-in or from ``rule_paths``).
    """
    catalog = catalog_for(config)
    pack = catalog.languages[lang]
    status: dict[str, bool | None] = {}
    for spec in catalog.rules.values():
        if spec.kind in ("system", "change") or (
            spec.languages is not None and pack.code not in spec.languages
        ):
            status[spec.id] = None
        else:
            status[spec.id] = not build_rule(spec, pack, config).lacks_vocabulary()
    return status


@lru_cache(maxsize=64)
def _rules_cached(config_json: str, lang: str, extra: tuple[str, ...]) -> tuple[RuleKind, ...]:
    config = Config.model_validate_json(config_json)
    catalog = load_catalog(tuple(Path(p) for p in extra))
    pack = catalog.language(lang, config.default_language)
    rules: list[RuleKind] = []
    for spec in catalog.rules.values():
        if spec.kind in ("system", "change") or not is_selected(spec, config):
            continue
        if spec.languages is not None and pack.code not in spec.languages:
            continue
        if spec.regions is not None and not set(spec.regions) & set(config.regions):
            continue
        rules.append(build_rule(spec, pack, config))
    return tuple(rules)


def rules_for(config: Config, lang: str) -> tuple[RuleKind, ...]:
    """The rules that run for ``config`` on documents in language ``lang`` (built once, cached)."""
    return _rules_cached(config.fingerprint(), lang, tuple(str(p) for p in config.rule_paths))


def validate_config(config: Config) -> None:
    """Check a config against the rules and profiles it names; raises ConfigError/RulePackError."""
    catalog = catalog_for(config)
    validate_patterns(config, catalog.rules)
    named = [
        config.default_profile,
        *([config.profile] if config.profile else []),
        *(p.profile for p in config.profiles),
    ]
    unknown = [name for name in named if name not in catalog.profiles]
    where = f"{config.source}: " if config.source else ""
    if unknown:
        raise ConfigError(
            f"{where}unknown profile {unknown[0]!r}; known profiles: {', '.join(sorted(catalog.profiles))}"
        )
    names = {code: pack.language.name for code, pack in catalog.languages.items()}
    for key in ("language", "default_language"):
        value = getattr(config, key)
        problem = unknown_language(f"`{key}`", value, names) if value is not None else None
        if problem is not None:
            raise ConfigError(f"{where}{problem}")
    for lang in catalog.languages:
        try:
            rules_for(config, lang)
        except ConfigError as exc:  # a bad `params` entry: name this config's file
            raise ConfigError(f"{where}{exc}") from None
    from .nlp import require_lemma_data

    for pack in catalog.languages.values():  # before any file: a pack needing policylint[lookups]
        require_lemma_data(pack)


def system_finding(
    rule_id: str, config: Config, path: str, message: str, line: int = 1, column: int = 1
) -> Finding:
    spec = catalog_for(config).rules.get(rule_id)
    severity = severity_for(spec, config) if spec is not None else None
    return Finding(
        rule=rule_id,
        severity=severity or "error",
        message=message,
        path=path,
        line=line,
        column=column,
        end_line=line,
        end_column=column,
    )


def read_error_finding(path: str, reason: str, config: Config) -> Finding:
    return system_finding("io.unreadable", config, path, f"{path} {reason}")


def _hit_to_finding(hit: Hit, rule: RuleKind, document: Document, config: Config) -> Finding:
    if hit.start is not None:
        loc = document.location(hit.start, hit.end if hit.end is not None else hit.start)
    else:
        loc = document.first_line_location()
    if loc.end_line == loc.line and loc.end_column <= loc.column:
        end_line, end_column = loc.line, loc.column + 1
    else:
        end_line, end_column = loc.end_line, loc.end_column
    section = hit.section.title if hit.section is not None and hit.section.level > 0 else None
    severity = severity_for(rule.spec, config)
    if hit.at_most is not None and severity.rank > hit.at_most.rank:
        severity = hit.at_most
    return Finding(
        rule=rule.id,
        severity=severity,
        message=render_message(rule.message, hit.fields),
        path=document.path,
        line=loc.line,
        column=loc.column,
        end_line=end_line,
        end_column=end_column,
        section=section,
        suggestion=hit.suggestion,
        page=page_of(document, loc.line),
    )


def _per_file_ignored(path: str, config: Config) -> list[str]:
    patterns: list[str] = []
    posix = Path(path).as_posix()
    for glob, rules in config.per_file_ignores.items():
        if (
            fnmatch.fnmatch(posix, glob)
            or fnmatch.fnmatch(Path(path).name, glob)
            or posix.endswith("/" + glob)
        ):
            patterns.extend(rules)
    return patterns


def classify(document: Document, config: Config) -> None:
    """Settle the document's language and its sections' languages and kinds.

    This part of the analysis reads only the text (no spaCy), which lets the runner do it in a
    helper process while the parent imports spaCy (see ``prepare``). It leaves
    ``document.language`` set to the pack's code, or to the unsupported code ("und" when none
    was recognised), which is all :func:`analyse` needs to pick the pack again.
    """
    catalog = catalog_for(config)
    lang = config.language or document.language or detect_language(document, catalog, config.default_language)
    supported = lang is not None and lang in catalog.languages
    pack = catalog.language(lang, config.default_language)
    document.language = pack.code if supported else (lang or "und")
    if supported and config.language is None and config.section_languages:
        assign_section_languages(document, catalog.languages, pack.code)
    classify_document(document, pack, _section_packs(document, catalog))


def _section_packs(document: Document, catalog: Catalog) -> dict[str, LanguagePack]:
    return {
        code: catalog.languages[code] for code in section_languages(document) if code in catalog.languages
    }


def analyse(
    document: Document, config: Config, *, classified: bool = False
) -> tuple[LanguagePack, CheckContext]:
    """Language, section kinds and profile: what ``outline`` shows and rules build on.
    ``classified``: :func:`classify` already ran on this document with this config."""
    if not classified:
        classify(document, config)
    catalog = catalog_for(config)
    code = document.language
    pack = catalog.language(code, config.default_language)
    model = config.nlp_models.get(pack.code)
    today = config.today or dt.date.today()
    ctx = CheckContext(document, config, pack, today, model)
    ctx.supported_language = code in catalog.languages
    ctx.section_packs = _section_packs(document, catalog)
    choice = detect_profile(document, pack, catalog, config, ctx.section_packs)
    ctx.profile_name = choice.name
    ctx.profile_names = choice.names
    ctx.profile_source = choice.source
    ctx.profile_certain = choice.certain
    ctx.profile_evidence = choice.evidence
    ctx.profile = combined_profile(choice, catalog)
    return pack, ctx


def check_document(
    document: Document,
    config: Config,
    *,
    classified: bool = False,
    ahead: Mapping[int, list[Finding]] | None = None,
) -> CheckedFile:
    """Run every selected rule over a parsed document (``classified``: see :func:`analyse`).
    ``ahead``: findings :func:`text_rule_findings` gave for this document and config, by rule
    run; those rules are not run again."""
    with TIMINGS.timed("classify"):
        pack, ctx = analyse(document, config, classified=classified)
    if not ctx.supported_language:
        return CheckedFile(file_report(document, pack), _unsupported(document, config))
    findings: list[Finding] = []
    ran: set[str] = set()
    skipped: dict[str, list[str]] = {}
    for position, rule, rule_ctx in _selected_runs(config, pack, ctx):
        if rule.lacks_vocabulary():
            codes = skipped.setdefault(rule.id, [])
            if rule.language.code not in codes:
                codes.append(rule.language.code)
            continue  # it could only stay silent; language.partial says so below
        done = ahead.get(position) if ahead is not None else None
        findings.extend(done if done is not None else _run_rule(rule, rule_ctx, document, config))
        ran.add(rule.id)
    findings.extend(_partial(document, config, skipped))
    findings, used = suppress(findings, document.directives)
    if document.directives:
        findings.extend(_directive_findings(document, config, used, ran))
    report = file_report(document, pack)
    report.profile = ctx.profile_name
    report.profile_source = ctx.profile_source
    return CheckedFile(report, findings)


def text_rule_findings(document: Document, config: Config) -> dict[int, list[Finding]]:
    """The findings of the rules that read only text (``RuleKind.uses_nlp`` false), by rule run,
    for :func:`check_document`'s ``ahead``: what the runner's helper can do without spaCy
    (prepare.py). ``document`` has been through :func:`classify` with this config. Empty when a
    rule asks for spaCy after all (:class:`~policylint.checks.base.NlpRefused`)."""
    pack, ctx = analyse(document, config, classified=True)
    if not ctx.supported_language:
        return {}
    found: dict[int, list[Finding]] = {}
    try:
        for position, rule, rule_ctx in _selected_runs(config, pack, ctx):
            if not rule.uses_nlp:
                found[position] = _run_rule(rule, rule_ctx, document, config)
    except NlpRefused:
        log.debug("a rule marked uses_nlp = False asked for spaCy on %s", document.path, exc_info=True)
        return {}
    return found


def _directive_findings(document: Document, config: Config, used: set[Use], ran: set[str]) -> list[Finding]:
    """``suppression.unknown-rule`` and (opt-in) ``suppression.unused`` for this document's directives."""
    catalog = catalog_for(config)
    ignored = _per_file_ignored(document.path, config)

    def wanted(rule_id: str, forced: bool = False) -> bool:
        spec = catalog.rules.get(rule_id)
        on = spec is not None and (forced or is_selected(spec, config))
        return on and not any(_matches(p, rule_id) for p in ignored)

    problems = directive_problems(
        document.directives,
        used,
        catalog.rules,
        ran,
        report_unused=wanted("suppression.unused", config.report_unused_disables),
    )
    return [
        system_finding(p.rule, config, document.path, p.message, line=p.line)
        for p in problems
        if wanted(p.rule, p.rule == "suppression.unused")
    ]


def _unsupported(document: Document, config: Config) -> list[Finding]:
    """English vocabulary on a French page would only produce noise: say so once instead."""
    spec = catalog_for(config).rules.get("language.unsupported")
    wanted = spec is None or is_selected(spec, config)
    if not wanted or any(
        _matches(p, "language.unsupported") for p in _per_file_ignored(document.path, config)
    ):
        return []
    known = ", ".join(sorted(catalog_for(config).languages))
    code = document.language if document.language != "und" else "not recognised"
    return [
        system_finding(
            "language.unsupported",
            config,
            document.path,
            f"this document's language ({code}) has no policylint language pack (available: {known}); "
            "language-specific rules were skipped. Set `language` in the config to force one.",
        )
    ]


def _partial(document: Document, config: Config, skipped: Mapping[str, list[str]]) -> list[Finding]:
    """One ``language.partial`` note naming the rules skipped for want of vocabulary, if any.

    A rule whose language pack lacks its words finds nothing; without this note a document in
    that language would look cleaner than its English translation.
    """
    if not skipped:
        return []
    spec = catalog_for(config).rules.get("language.partial")
    if (spec is not None and not is_selected(spec, config)) or any(
        _matches(p, "language.partial") for p in _per_file_ignored(document.path, config)
    ):
        return []
    codes = sorted({code for langs in skipped.values() for code in langs})
    names = ", ".join(sorted(skipped))
    rules = "1 rule that applies" if len(skipped) == 1 else f"{len(skipped)} rules that apply"
    return [
        system_finding(
            "language.partial",
            config,
            document.path,
            f"the language pack for {', '.join(codes)} has no vocabulary for {rules} here, "
            f"so they were skipped: {names}. "
            "`policylint rules --language CODE` lists them; add their words under "
            '[rules."<rule id>"] in a language pack to check them.',
        )
    ]


def _selected_runs(
    config: Config, pack: LanguagePack, ctx: CheckContext
) -> Iterator[tuple[int, RuleKind, CheckContext]]:
    """The rule runs the document gets (:func:`_rule_runs` less per-file ignores and rules of
    other profiles), each with its position among all runs: the key of ``ahead``."""
    ignored = _per_file_ignored(ctx.document.path, config)
    for position, (rule, rule_ctx) in enumerate(_rule_runs(config, pack, ctx)):
        if any(_matches(p, rule.id) for p in ignored):
            continue
        if rule.spec.profiles is not None and not set(ctx.profile_names) & set(rule.spec.profiles):
            continue
        yield position, rule, rule_ctx


def _run_rule(rule: RuleKind, ctx: CheckContext, document: Document, config: Config) -> list[Finding]:
    """One rule's findings on ``document`` (``ctx`` may be a view of one language's part of it);
    a crash becomes an ``internal.rule-error`` finding."""
    findings: list[Finding] = []
    # Plain-language advice is owed to consumers: in developer terms or a data-processing
    # agreement, written for businesses, it is at most info.
    advice = rule.spec.for_consumers and ctx.profile is not None and ctx.profile.audience != "consumers"
    try:
        with TIMINGS.timed(rule_label(rule.id)):
            for hit in rule.check(ctx):
                if advice:
                    hit.at_most = Severity.INFO
                findings.append(_hit_to_finding(hit, rule, document, config))
    except Exception as exc:  # a rule must never take the file's other findings down with it
        log.debug("rule %s crashed on %s", rule.id, document.path, exc_info=True)
        where = traceback.extract_tb(exc.__traceback__)[-1]
        findings.append(
            system_finding(
                "internal.rule-error",
                config,
                document.path,
                f"rule {rule.id} failed on this file: {type(exc).__name__}: {exc} "
                f"({Path(where.filename).name}:{where.lineno}); other rules still ran",
            )
        )
    return findings


def _rule_runs(
    config: Config, pack: LanguagePack, ctx: CheckContext
) -> Iterator[tuple[RuleKind, CheckContext]]:
    """Each rule with the context it checks. A document whose sections are all in its language:
    every rule once, on the whole document. Otherwise (see RuleKind.language_scope) rules about the
    whole document still run once on all of it; rules about text where it stands run on the
    document language's sections, then on each other language's sections with that language's rule.
    Sections in a language no pack covers (an explicit ``lang="fr"``) get no such rules."""
    document = ctx.document
    others = section_languages(document)
    if not others:
        yield from ((rule, ctx) for rule in rules_for(config, pack.code))
        return
    main = ctx.for_language(document.in_language(pack.code), pack, config.nlp_models.get(pack.code))
    for rule in rules_for(config, pack.code):
        yield rule, (ctx if rule.scope() == "document" else main)
    for code in others:
        other = ctx.section_packs.get(code)
        if other is None:
            continue
        view = ctx.for_language(document.in_language(code), other, config.nlp_models.get(code))
        yield from ((rule, view) for rule in rules_for(config, code) if rule.scope() == "section")


def _matches(pattern: str, rule_id: str) -> bool:
    from .selection import matches

    return matches(pattern, rule_id)


def file_report(document: Document, pack: LanguagePack) -> FileReport:
    return FileReport(
        path=document.path,
        format=document.format,
        language=document.language or pack.code,
        words=document.word_count(),
        encoding=document.encoding if document.encoding not in ("utf-8", "utf-8-sig") else None,
        sections=[
            SectionInfo(title=s.title, kind=s.kind, level=s.level, line=s.line, language=s.language)
            for s in document.sections()
        ],
    )


def parse_source(
    source: str, fmt: str, path: str, config: Config, encoding: str = "utf-8"
) -> Document | CheckedFile:
    """Parse text already in memory; a parser crash becomes an ``io.parse-error`` result."""
    regex_cache.preload()  # before the parser, spaCy and the rules compile their patterns
    try:
        with TIMINGS.timed("parse"):
            document = parse(source, fmt, path)
    except RecursionError:
        return unparsable(path, fmt, "is nested too deeply to parse", config)
    except Exception as exc:
        log.debug("parser crashed on %s", path, exc_info=True)
        return unparsable(path, fmt, f"could not be parsed as {fmt}: {type(exc).__name__}: {exc}", config)
    document.encoding = encoding
    return document


def check_source(source: str, fmt: str, path: str, config: Config, encoding: str = "utf-8") -> CheckedFile:
    """Parse and check text already in memory; a parser crash becomes an ``io.parse-error`` finding."""
    parsed = parse_source(source, fmt, path, config, encoding)
    return parsed if isinstance(parsed, CheckedFile) else check_document(parsed, config)


def unparsable(path: str, fmt: str, reason: str, config: Config) -> CheckedFile:
    finding = system_finding("io.parse-error", config, path, f"{path} {reason}")
    return CheckedFile(FileReport(path=path, format=fmt), [finding])


def internal_findings(findings: Iterable[Finding]) -> bool:
    """True when a run produced internal errors (exit code 2)."""
    return any(f.rule.startswith("internal.") for f in findings)
