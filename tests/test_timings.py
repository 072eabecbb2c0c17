"""``--timings``: where a run's time goes, exclusive per phase and rule family."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLES
from policylint.timings import Timings, by_family, render, slowest_rules


def test_nested_time_is_counted_once_by_the_inner_label() -> None:
    timings = Timings()
    with timings.timed("rule:jargon.legalese"):
        time.sleep(0.02)
        with timings.timed("nlp"):
            time.sleep(0.05)
    seconds = timings.take()
    assert 0.045 <= seconds["nlp"] < 0.5
    assert 0.015 <= seconds["rule:jargon.legalese"] < 0.045  # the nested 0.05 s is not in it
    assert timings.take() == {}  # take() starts afresh


def test_rules_are_summed_by_family_and_the_slowest_are_named() -> None:
    seconds = {"parse": 0.5, "rule:dates.vague-time": 0.25, "rule:dates.ambiguous": 0.5, "rule:jargon.x": 1.0}
    assert by_family(seconds) == {"parse": 0.5, "dates": 0.75, "jargon": 1.0}
    assert slowest_rules(seconds, 2) == [("jargon.x", 1.0), ("dates.ambiguous", 0.5)]
    table = render(seconds, files=3, from_cache=1, wall=1.2, jobs=1)
    lines = table.splitlines()
    assert lines[0].startswith("timings: 3 files (1 from the cache), 1.20 s wall, 1 job")
    order = [line.split()[0] for line in lines[2:-2]]
    assert order == ["parse", "jargon", "dates"]  # phases first, then families slowest first
    assert "total" in lines[-2] and "2.250" in lines[-2]


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "POLICYLINT_CACHE_DIR": str(tmp_path / "cache"),
        "XDG_CACHE_HOME": str(tmp_path / "user"),
    }
    cmd = [sys.executable, "-m", "policylint", "check", "--format", "json", "--fail-on", "never"]
    return subprocess.run([*cmd, *extra, str(EXAMPLES)], capture_output=True, text=True, env=env, timeout=300)


def test_cli_timings_go_to_stderr_and_cover_every_family_that_ran(tmp_path: Path) -> None:
    cold = _run(tmp_path, "--timings", "--jobs", "2")
    assert cold.returncode == 0, cold.stderr
    report = json.loads(cold.stdout)  # stdout is still only the report
    families = {f["rule"].split(".")[0] for f in report["findings"]}
    table = cold.stderr[cold.stderr.index("timings:") :]
    shown = {line.split()[0] for line in table.splitlines()[2:-1]}
    assert {"parse", "classify", "nlp"} <= shown
    assert families - {"io", "internal", "language"} <= shown, (families, shown)
    assert "CPU seconds over all worker processes" in table.splitlines()[0]
    warm = _run(tmp_path, "--timings")
    files = report["summary"]["files"]
    assert f"timings: {files} files ({files} from the cache)" in warm.stderr
    assert json.loads(warm.stdout) == report
    # Compiled patterns: none stored before the first run; the first run stored them.
    assert cold.stderr.rstrip().endswith("regular expressions read from the user cache: 0")
    preloaded = int(warm.stderr.rstrip().rsplit(": ", 1)[1])
    assert preloaded > 100
    assert "regular expressions" not in _run(tmp_path, "--timings", "--no-cache").stderr
