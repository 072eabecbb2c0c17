"""``python -m policylint``: the same command line as the ``policylint`` script (handy for
profiling and for environments where the script is not on PATH)."""

from __future__ import annotations

import sys

from .cli import entry

if __name__ == "__main__":
    sys.exit(entry())
