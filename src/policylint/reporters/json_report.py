"""``--format json``: the documented, versioned contract (see docs/json-output.md)."""

from __future__ import annotations

from typing import TextIO

from ..findings import Report
from . import RenderOptions


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    out.write(report.model_dump_json(indent=2))
    out.write("\n")
