"""Gate controls for CI: baselines that survive edits, per-file ignores, statistics."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def _findings(result: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    data: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return data


def test_baseline_hides_known_findings_even_after_lines_shift(tmp_path: Path) -> None:
    policy = tmp_path / "policy.md"
    policy.write_text((EXAMPLES / "needs-work" / "service-policy.md").read_text())
    baseline = tmp_path / "baseline.json"
    written = run("check", str(policy), "--write-baseline", str(baseline), "--today", "2026-11-23")
    assert written.returncode == 0 and "recorded" in written.stderr
    assert run("check", str(policy), "--baseline", str(baseline), "--today", "2026-11-23").returncode == 0

    # An unrelated edit moves every line down; a new vague phrase is added at the end.
    text = policy.read_text().replace(
        "# Customer Service Policy\n", "# Customer Service Policy\n\nIntro.\n\n"
    )
    policy.write_text(text + "\nWe will reply in due course.\n")
    result = run(
        "check", str(policy), "--baseline", str(baseline), "--format", "json", "--today", "2026-11-23"
    )
    new = _findings(result)
    assert [f["rule"] for f in new] == ["dates.vague-time"]
    assert "in due course" in str(new[0]["message"])
    assert "in the baseline" in result.stderr


def test_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text("[1, 2]")
    result = run("check", str(EXAMPLES / "good"), "--baseline", str(bad))
    assert result.returncode == 2 and "baseline" in result.stderr
    missing = run("check", str(EXAMPLES / "good"), "--baseline", str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "--write-baseline" in missing.stderr


def test_per_file_ignores(tmp_path: Path) -> None:
    (tmp_path / "legal").mkdir()
    (tmp_path / "policylint.toml").write_text('[per_file_ignores]\n"legal/*.md" = ["jargon.legalese"]\n')
    text = "# Policy\n\nWe shall reply.\n"
    (tmp_path / "legal" / "terms.md").write_text(text)
    (tmp_path / "other.md").write_text(text)
    result = run("check", ".", "--select", "jargon.legalese", "--format", "json", cwd=tmp_path)
    paths = [Path(str(f["path"])).as_posix() for f in _findings(result)]
    assert paths == ["other.md"]


def test_statistics_counts_per_rule() -> None:
    result = run(
        "check", str(EXAMPLES / "needs-work" / "service-policy.md"), "--statistics", "--select", "jargon"
    )
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["count", "rule", "severity", "summary"]
    assert any(row.split()[1:3] == ["jargon.legalese", "warning"] for row in rows[1:])
