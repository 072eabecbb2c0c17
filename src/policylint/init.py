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

from .config import ConfigResolver, load_config_file, unknown_language
from .errors import ConfigError
from .packs import Catalog, LanguagePack

INIT_PROFILES = ("customer-service", "privacy-notice", "returns-policy", "terms")


@dataclass(frozen=True, slots=True)
class InitResult:
    written: list[Path]
    skipped: list[Path]
    #: The config file the new policylint.toml now takes precedence over (``force`` only).
    shadowed: Path | None = None


def _governing_config(directory: Path) -> Path | None:
    """The config file that applies to files in ``directory`` today (found as ``check`` finds
    it), unless it is the ``policylint.toml`` init itself writes."""
    source = ConfigResolver().for_directory(directory.resolve()).source
    if source is None or source == (directory / "policylint.toml").resolve():
        return None
    return source


def _shadowing_error(existing: Path, directory: Path, profile: str, lang: str) -> ConfigError:
    loaded = load_config_file(existing) if existing.is_file() else None
    keys = sorted(loaded.model_dump(exclude_unset=True)) if loaded is not None else []
    hidden = f" (it sets {', '.join(keys)})" if keys else ""
    return ConfigError(
        f"{existing} already configures policylint for {directory}{hidden}; a policylint.toml "
        "written there would take precedence and hide it, as config files are not merged. Nothing "
        "was written. To keep it: rerun with --no-config (only the policy skeleton is written) and add "
        f'to it what init would set: default_profile = "{profile}", default_language = "{lang}", '
        'fail_on = "warning". To let a new policylint.toml win instead: rerun with --force.'
    )


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
    directory: Path,
    catalog: Catalog,
    profile: str,
    lang: str,
    today: dt.date,
    force: bool = False,
    write_config: bool = True,
) -> InitResult:
    """Write ``policylint.toml`` and ``<profile>.md`` into ``directory`` (existing files are kept
    unless ``force``). A config file that already applies to ``directory`` (a ``[tool.policylint]``
    in pyproject.toml, a parent folder's policylint.toml) would be shadowed by the new one, losing
    its settings: that is refused (ConfigError, nothing written) unless ``force``, or
    ``write_config`` is false (only the skeleton is written)."""
    if profile not in INIT_PROFILES:
        raise ConfigError(f"unknown profile {profile!r}; choose one of: {', '.join(INIT_PROFILES)}")
    names = {code: pack.language.name for code, pack in catalog.languages.items()}
    problem = unknown_language("--lang", lang, names)
    if problem is not None:
        raise ConfigError(problem)
    skeleton = build_skeleton(catalog, catalog.languages[lang], profile, today)
    shadowed = _governing_config(directory) if write_config else None
    if shadowed is not None and not force:
        raise _shadowing_error(shadowed, directory, profile, lang)
    directory.mkdir(parents=True, exist_ok=True)
    files = {directory / "policylint.toml": build_config(profile, lang)} if write_config else {}
    files[directory / f"{profile}.md"] = skeleton
    written: list[Path] = []
    skipped: list[Path] = []
    for path, content in files.items():
        if path.exists() and not force:
            skipped.append(path)
            continue
        path.write_text(content, encoding="utf-8")
        written.append(path)
    return InitResult(written, skipped, shadowed if directory / "policylint.toml" in written else None)
