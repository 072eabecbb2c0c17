"""Where policylint's own files are, without importing anything heavy.

Kept apart from ``packs`` (which imports pydantic) so that light code paths, the warm-server
client among them, can hash the built-in packs without paying for the pack models.
"""

from __future__ import annotations

from pathlib import Path


def builtin_rules_dir() -> Path:
    """Where the built-in packs live: inside the wheel, or the repository's ``rules/`` folder."""
    packaged = Path(__file__).parent / "_builtin_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"
