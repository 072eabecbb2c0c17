"""The CLI through its real entry point (a subprocess running the installed ``policylint``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

GOOD = EXAMPLES / "good" / "customer-service-policy.md"
NEEDS_WORK = EXAMPLES / "needs-work" / "service-policy.md"


def run(*args: str, stdin: str | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_exit_0_on_a_clean_policy() -> None:
    result = run("check", str(GOOD), "--today", "2026-11-23")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout


def test_exit_1_on_findings_with_readable_report() -> None:
    result = run("check", str(NEEDS_WORK), "--today", "2026-11-23")
    assert result.returncode == 1, result.stderr
    out = result.stdout
    assert "sections.missing-returns" in out
    assert "jargon.legalese" in out
    assert "errors" in out and "warnings" in out


def test_exit_2_on_usage_and_config_errors(tmp_path: Path) -> None:
    assert run("check", str(GOOD), "--fail-on", "sometimes").returncode == 2
    bad = run("check", str(GOOD), "--select", "jargon.nonexistent")
    assert bad.returncode == 2 and "jargon.nonexistent" in bad.stderr
    (tmp_path / "policylint.toml").write_text("bogus = 1\n")
    (tmp_path / "p.md").write_text("# P\n\nText.\n")
    result = run("check", str(tmp_path / "p.md"))
    assert result.returncode == 2 and "bogus" in result.stderr and "policylint.toml" in result.stderr


def test_fail_on_and_exit_zero() -> None:
    assert run("check", str(NEEDS_WORK), "--fail-on", "never").returncode == 0
    assert run("check", str(NEEDS_WORK), "--exit-zero").returncode == 0
    only_warnings = run("check", str(NEEDS_WORK), "--select", "jargon", "--today", "2026-11-23")
    assert only_warnings.returncode == 0
    assert run("check", str(NEEDS_WORK), "--select", "jargon", "--fail-on", "warning").returncode == 1


def test_json_output_contract() -> None:
    result = run("check", str(NEEDS_WORK), "--format", "json", "--today", "2026-11-23")
    data = json.loads(result.stdout)
    assert data["schema_version"] == 1
    assert data["tool"]["name"] == "policylint"
    (file,) = data["files"]
    assert set(file) >= {"path", "format", "language", "words", "sections"}
    assert file["language"] == "en" and file["format"] == "markdown"
    assert {"title", "kind", "level", "line"} <= set(file["sections"][0])
    finding = data["findings"][0]
    assert set(finding) == {
        "rule",
        "severity",
        "message",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "section",
        "suggestion",
        "page",  # PDF only (docs/office.md); null for every other format
    }
    assert data["summary"]["files"] == 1
    assert data["summary"]["error"] == sum(f["severity"] == "error" for f in data["findings"])


def test_stdin_with_filename_detects_format() -> None:
    html = "<html><body><h1>Policy</h1><p>We reply promptly.</p></body></html>"
    result = run(
        "check",
        "-",
        "--stdin-filename",
        "policy.html",
        "--select",
        "dates.vague-time",
        "--format",
        "json",
        stdin=html,
    )
    data = json.loads(result.stdout)
    assert data["files"][0]["format"] == "html"
    assert data["files"][0]["path"] == "policy.html"
    assert [f["rule"] for f in data["findings"]] == ["dates.vague-time"]


def test_unreadable_file_is_reported_and_others_still_checked(tmp_path: Path) -> None:
    binary = tmp_path / "broken.md"
    binary.write_bytes(b"\x00\x01\x02binary")
    result = run("check", str(binary), str(NEEDS_WORK), "--format", "json")
    data = json.loads(result.stdout)
    rules = {(Path(f["path"]).name, f["rule"]) for f in data["findings"]}
    assert ("broken.md", "io.unreadable") in rules
    assert any(name == NEEDS_WORK.name and rule.startswith("jargon") for name, rule in rules)
    assert result.returncode == 1


def test_directory_walk_honours_exclude_and_gitignore(tmp_path: Path) -> None:
    (tmp_path / "policylint.toml").write_text('exclude = ["drafts/"]\n')
    (tmp_path / ".gitignore").write_text("generated.md\n")
    for name in ("a.md", "drafts/b.md", "generated.md", "sub/c.html", "notes.py", "README.md", "LICENSE.txt"):
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Policy\n\nText here.\n")
    result = run("check", str(tmp_path), "--format", "json", "--fail-on", "never")
    paths = sorted(
        Path(f["path"]).relative_to(tmp_path).as_posix() for f in json.loads(result.stdout)["files"]
    )
    assert paths == ["a.md", "sub/c.html"]


def test_outline_text_and_json() -> None:
    result = run("outline", str(GOOD), "--format", "json")
    data = json.loads(result.stdout)
    kinds = {s["title"]: s["kind"] for s in data["sections"][0]["children"]}
    assert kinds["Returns and refunds"] == "returns"
    assert kinds["Contact us"] == "contact"
    text = run("outline", str(GOOD))
    assert "Returns and refunds" in text.stdout and "returns" in text.stdout


def test_rules_and_explain() -> None:
    listing = run("rules")
    assert "jargon.legalese" in listing.stdout and "sections.missing-returns" in listing.stdout
    explained = run("explain", "jargon.legalese")
    assert explained.returncode == 0
    assert "Why:" in explained.stdout and "Source:" in explained.stdout and "Bad:" in explained.stdout
    unknown = run("explain", "jargon.legalise")
    assert unknown.returncode == 2 and "Did you mean" in unknown.stderr


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("policylint ")
    assert "check" in run("--help").stdout


@pytest.mark.parametrize("flag", ["--statistics"])
def test_statistics(flag: str) -> None:
    result = run("check", str(NEEDS_WORK), flag)
    assert result.stdout.startswith("count  rule") and result.returncode == 1


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes as a name")
def test_a_file_name_that_is_not_utf8_is_reported_in_every_format(tmp_path: Path) -> None:
    """Python keeps such a name's bytes as lone surrogates, which UTF-8 output and JSON refuse:
    every reporter but JUnit crashed. The name is shown with the bytes as %XX."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / os.fsdecode(b"caf\xe9.md")).write_bytes(NEEDS_WORK.read_bytes())
    for fmt in ("text", "json", "sarif", "gitlab", "github", "junit", "html"):
        out = tmp_path / f"report.{fmt}"
        done = run("check", "--format", fmt, "--output", str(out), "--fail-on", "never", str(folder))
        assert done.returncode == 0, (fmt, done.stderr)
        assert "caf%E9.md" in out.read_text("utf-8").replace("%25", "%"), fmt
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["files"][0]["path"] == str(folder / "caf%E9.md")
    placed = next(f for f in report["findings"] if f["section"])  # whole-document ones show no excerpt
    excerpt = NEEDS_WORK.read_text("utf-8").splitlines()[placed["line"] - 1].strip()
    assert excerpt and excerpt in (tmp_path / "report.text").read_text("utf-8")  # the file is found
    assert report["findings"]
    json.loads((tmp_path / "report.sarif").read_text("utf-8"))


# --- ruff's conventions -----------------------------------------------------------------------


def test_output_format_is_accepted_as_ruffs_name_for_format() -> None:
    by_ruffs_name = run(
        "check", str(NEEDS_WORK), "--today", "2026-11-23", "--no-cache", "--output-format", "json"
    )
    by_ours = run("check", str(NEEDS_WORK), "--today", "2026-11-23", "--no-cache", "--format", "json")
    assert by_ruffs_name.returncode == by_ours.returncode == 1, by_ruffs_name.stderr
    assert json.loads(by_ruffs_name.stdout) == json.loads(by_ours.stdout)
    assert json.loads(run("rules", "--output-format", "json").stdout)
    outline = run("outline", str(GOOD), "--output-format", "json")
    assert outline.returncode == 0 and json.loads(outline.stdout), outline.stderr


def test_check_with_no_path_checks_the_current_folder_honouring_gitignore_and_excludes(
    tmp_path: Path,
) -> None:
    """As ``ruff check`` does: no path means ``.``, walked as a named folder is (.gitignore, exclude)."""
    text = NEEDS_WORK.read_text(encoding="utf-8")
    for name in ("policy.md", "drafts/old.md", "generated/out.md", "sub/terms.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / ".gitignore").write_text("drafts/\n", encoding="utf-8")
    (tmp_path / "policylint.toml").write_text('exclude = ["generated/"]\n', encoding="utf-8")
    result = run("check", "--today", "2026-11-23", "--no-cache", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    checked = {f["path"].replace(os.sep, "/") for f in json.loads(result.stdout)["findings"]}
    assert checked == {"policy.md", "sub/terms.md"}
    # ...and the same as naming the folder.
    named = run("check", ".", "--today", "2026-11-23", "--no-cache", "--format", "json", cwd=tmp_path)
    assert json.loads(named.stdout) == json.loads(result.stdout)
