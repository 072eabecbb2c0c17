"""bench/run.py's measuring helpers: what its table is made of must be measured, not assumed."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    module = _bench()
    if not os.access(module.TIME, os.X_OK):
        pytest.skip(f"{module.TIME} (GNU time) is not installed")
    return module


def test_timed_reports_wall_cpu_and_peak_memory(bench: ModuleType) -> None:
    busy = [sys.executable, "-c", "b = bytearray(60_000_000); sum(range(3_000_000))"]
    timing = bench.timed(busy, 2)
    assert timing.wall > 0.05 and timing.cpu > 0.05  # the loop is real work, counted as CPU
    assert timing.peak > 60_000  # KB: the 60 MB buffer shows
    idle = bench.timed([sys.executable, "-c", "import time; time.sleep(0.3)"], 1)
    assert idle.wall >= 0.3 and idle.cpu < idle.wall  # sleeping is wall time, not CPU
    assert timing.best <= timing.wall and idle.best == idle.wall  # the fastest of 2 runs, of 1
    assert bench.Timing(1.0, 5, 0.5, 0.9).client() == bench.Timing(1.0, 0, 0.0, 0.9)


def test_paired_runs_alternate_and_give_one_ratio_per_pair(bench: ModuleType, tmp_path: Path) -> None:
    log = tmp_path / "order"
    first = [sys.executable, "-c", f"open({str(log)!r}, 'a').write('a')"]
    second = [sys.executable, "-c", f"import time; time.sleep(0.2); open({str(log)!r}, 'a').write('b')"]
    one, two, ratios = bench.paired(first, second, 3, dict(os.environ))
    assert log.read_text() == "ababab"
    assert len(ratios) == 3 and all(r < 1 for r in ratios)
    assert one.wall < two.wall
    assert one.best <= one.wall and two.best >= 0.2
