"""Change review: what a new version of a policy takes away from customers (``policylint diff``).

* :mod:`.extract` reads what one version states, with the rules' own extractors;
* :mod:`.cosmetic` tells real edits from whitespace, markup, numbering, order and typo fixes;
* :mod:`.compare` turns two versions' facts into material changes with a direction;
* :mod:`.process` makes findings: the ``change.*`` rules and lint findings the change introduces;
* :mod:`.api` compares texts, files or a Git revision; :mod:`.render` prints the report.
"""

from __future__ import annotations

from .api import DiffError, diff_git, diff_paths, diff_texts
from .model import CHANGE_SCHEMA_VERSION, Change, ChangeReport, FileDiff, Place

__all__ = [
    "CHANGE_SCHEMA_VERSION",
    "Change",
    "ChangeReport",
    "DiffError",
    "FileDiff",
    "Place",
    "diff_git",
    "diff_paths",
    "diff_texts",
]
