"""``policylint diff --base REF`` in a real temporary Git repository, and the GitHub Action's
pull-request recipe (``diff-base: origin/main``) run the way the runner runs it."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from policylint.changes.model import ChangeReport
from policylint.cli import main
from test_action import run_action
from test_diff import _returns


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose main branch has four policies; the working tree then changes them."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    root = tmp_path / "workspace"
    (root / "policies").mkdir(parents=True)
    _git(root, "init", "-q", "-b", "main")
    (root / "policies" / "returns.md").write_text(_returns(), encoding="utf-8")
    (root / "policies" / "same.md").write_text(_returns(), encoding="utf-8")
    (root / "policies" / "gone.md").write_text(_returns(), encoding="utf-8")
    (root / "policies" / "old-name.md").write_text(_returns() + "\nKeep the receipt.\n", encoding="utf-8")
    (root / "policies" / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "README.txt").write_text("not a policy, but text\n", encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "base")
    (root / "policies" / "returns.md").write_text(_returns("14 days"), encoding="utf-8")
    (root / "policies" / "gone.md").unlink()
    _git(root, "mv", "policies/old-name.md", "policies/new-name.md")
    renamed = (_returns() + "\nKeep the receipt.\n").replace(" or call us on +1 415 555 0100", "")
    (root / "policies" / "new-name.md").write_text(renamed, encoding="utf-8")
    (root / "policies" / "logo.md").write_text(_returns(), encoding="utf-8")
    (root / "policies" / "added.md").write_text(
        "# Shipping policy\n\nWe ship within 2 days.\n", encoding="utf-8"
    )
    _git(root, "add", "-A")
    return root


def _diff(repo: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[int, str]:
    monkeypatch.chdir(repo)
    out = io.StringIO()
    code = main(["diff", *args], out=out)
    return code, out.getvalue()


def test_base_compares_each_changed_policy_file(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, text = _diff(repo, monkeypatch, "--base", "main", "--format", "json", "--lint", "none")
    report = ChangeReport.model_validate_json(text)
    by_path = {f.new_path or f.old_path: f for f in report.files}
    assert report.base == "main"
    assert "policies/same.md" not in by_path  # unchanged files are not compared
    assert by_path["policies/returns.md"].status == "modified"
    assert [c.topic for c in by_path["policies/returns.md"].changes] == ["return-window"]
    assert by_path["policies/gone.md"].status == "deleted"
    assert by_path["policies/added.md"].status == "added"
    renamed = by_path["policies/new-name.md"]
    assert renamed.status == "renamed" and renamed.old_path == "policies/old-name.md"
    assert [c.topic for c in renamed.changes] == ["phone"]
    logo = by_path["policies/logo.md"]  # binary at the base: named, and the others still compared
    assert logo.status == "error" and "main:policies/logo.md" in (logo.error or "")
    rules = {f.rule for f in report.findings()}
    assert {"change.file-removed", "io.unreadable", "change.less-favourable"} <= rules
    assert code == 1  # io.unreadable is an error


def test_base_limited_to_paths(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, text = _diff(repo, monkeypatch, "--base", "main", "--format", "json", "policies/returns.md")
    report = ChangeReport.model_validate_json(text)
    assert [f.new_path for f in report.files] == ["policies/returns.md"]


def test_a_revision_that_does_not_exist_is_a_clear_error(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = _diff(repo, monkeypatch, "--base", "no-such-branch")
    assert code == 2
    assert "revision 'no-such-branch' does not exist" in capsys.readouterr().err


def test_pull_request_recipe_in_the_action(repo: Path) -> None:
    """The recipe in docs/integrations.md: `diff-base: origin/main` on a pull request."""
    _git(repo, "update-ref", "refs/remotes/origin/main", "main")
    summary = repo.parent / "summary.md"
    result = run_action(repo, paths="policies", diff_base="origin/main", fail_on="warning")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "title=change.less-favourable::" in result.stdout
    assert "file=policies/returns.md,line=7" in result.stdout
    assert not summary.exists() or summary.read_text(encoding="utf-8")
    sarif = run_action(repo, paths="policies", diff_base="origin/main", sarif_file="out/diff.sarif")
    assert json.loads((repo / "out" / "diff.sarif").read_text(encoding="utf-8"))["runs"][0]["results"]
    assert sarif.returncode == 1  # the unreadable logo.md is an error
