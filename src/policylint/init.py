"""``policylint init``: a configuration and a policy skeleton to start from.

The skeleton has one heading per part the chosen profile requires, each with a comment saying what
to write and which rule checks it. Comments are not prose, so an unfilled skeleton fails with one
``sections.empty-section`` finding per heading, and a filled-in one passes the ``sections`` rules:
the shop owner's first run shows exactly what is left to write.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .config import unknown_language
from .errors import ConfigError
from .packs import Catalog, LanguagePack

INIT_PROFILES = ("customer-service", "privacy-notice", "returns-policy", "terms")


@dataclass(frozen=True, slots=True)
class InitResult:
    written: list[Path]
    skipped: list[Path]


def _parts(catalog: Catalog, profile: str) -> list[str]:
    spec = catalog.profiles.get(profile)
    if spec is None:
        raise ConfigError(f"unknown profile {profile!r}; choose one of: {', '.join(INIT_PROFILES)}")
    return list(spec.requires)


def build_skeleton(catalog: Catalog, pack: LanguagePack, profile: str, today: dt.date) -> str:
    """The Markdown skeleton of a policy with the given profile, in the pack's language."""
    parts = _parts(catalog, profile)
    missing = [p for p in parts if p not in pack.skeletons]
    if missing:
        have = sorted(
            code for code, lang in catalog.languages.items() if all(p in lang.skeletons for p in parts)
        )
        raise ConfigError(
            f"the {pack.language.name} language pack has no skeleton for {', '.join(missing)}; "
            f"`policylint init --profile {profile}` is available in: {', '.join(have) or 'none'}"
        )
    # The profile's name in the pack's language ("Privatlivspolitik"); the pack's profile
    # phrases recognise it, so the skeleton keeps its profile.
    label = pack.profile_label(profile, catalog.profiles[profile].label)
    title = label[:1].upper() + label[1:]
    lines = [
        "---",
        f"title: {title}",
        f"lang: {pack.code}",
        "---",
        "",
        f"# {title}",
        "",
        f"{pack.dates.updated_label}: {today.isoformat()}",
        "",
        "<!-- Written by `policylint init`. Replace each comment with your own text, then run",
        "     `policylint check` on this file: every empty section is reported until it is filled in. -->",
    ]
    for part in parts:
        entry = pack.skeletons[part]
        lines += ["", f"## {entry.heading}", "", f"<!-- {entry.guidance} -->"]
    return "\n".join(lines) + "\n"


def build_config(profile: str, lang: str) -> str:
    return (
        "# policylint configuration: every key is described in docs/configuration.md.\n"
        f'default_profile = "{profile}"\n'
        f'default_language = "{lang}"\n'
        'fail_on = "warning"  # a new policy starts strict: warnings fail the check too\n'
        "stale_after_months = 12\n"
        '# ignore = ["jargon.wordy"]\n'
        '# exclude = ["drafts/"]\n'
    )


def run_init(
    directory: Path, catalog: Catalog, profile: str, lang: str, today: dt.date, force: bool = False
) -> InitResult:
    """Write ``policylint.toml`` and ``<profile>.md`` into ``directory`` (existing files are kept
    unless ``force``)."""
    if profile not in INIT_PROFILES:
        raise ConfigError(f"unknown profile {profile!r}; choose one of: {', '.join(INIT_PROFILES)}")
    names = {code: pack.language.name for code, pack in catalog.languages.items()}
    problem = unknown_language("--lang", lang, names)
    if problem is not None:
        raise ConfigError(problem)
    skeleton = build_skeleton(catalog, catalog.languages[lang], profile, today)
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        directory / "policylint.toml": build_config(profile, lang),
        directory / f"{profile}.md": skeleton,
    }
    written: list[Path] = []
    skipped: list[Path] = []
    for path, content in files.items():
        if path.exists() and not force:
            skipped.append(path)
            continue
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return InitResult(written, skipped)
