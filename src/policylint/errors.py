"""Errors a user can act on. Each carries the file (and key) at fault and says how to fix it."""

from __future__ import annotations


class PolicylintError(Exception):
    """Base class: anything that makes a run end with exit code 2."""


class ConfigError(PolicylintError):
    """A configuration file or command-line option is invalid."""


class RulePackError(PolicylintError):
    """A rule pack or language pack (TOML) is invalid."""
