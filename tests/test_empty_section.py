"""sections.empty-section: a forgotten placeholder is a warning; a heading that may be a group
heading or a table-of-contents entry (followed at once by a heading of its level) is info."""

from __future__ import annotations

from conftest import TODAY
from policylint import check_text
from policylint.config import Config

CONFIG = Config(select=["sections.empty-section"], today=TODAY)


def _empty(text: str) -> list[tuple[int, str]]:
    return [(f.line, f.severity.value) for f in check_text(text, "markdown", CONFIG).findings]


def test_a_heading_at_the_end_of_its_part_is_certainly_empty() -> None:
    assert _empty("# Policy\n\n## Returns\n\nWithin 30 days.\n\n## Contact\n") == [(7, "warning")]
    assert _empty("# Policy\n\n## Help\n\n### Phone\n\n## Returns\n\nWithin 30 days.\n") == [(5, "warning")]


def test_a_heading_followed_by_one_of_its_level_may_be_a_group_heading() -> None:
    text = "# Policy\n\n## Vendors\n\n## Measurement vendors\n\nThey measure ads.\n"
    assert _empty(text) == [(3, "info")]


def test_a_skeleton_placeholder_is_a_warning() -> None:
    text = "# Policy\n\n## Return window\n\n<!-- How many days. -->\n\n## Refunds\n\nWithin 5 days.\n"
    assert _empty(text) == [(3, "warning")]
