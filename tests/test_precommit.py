"""The pre-commit hook, run by the real ``pre-commit`` in a throwaway git repository.

pre-commit installs the hook the way a user's machine would: it clones this repository at a
commit, builds a virtualenv and pip-installs policylint with its dependencies from PyPI. That is
slow the first time, so PRE_COMMIT_HOME lives in pytest's cache directory and later runs reuse
the environment as long as the hook's commit is the same.

Which commit: with a clean working tree, this repository's HEAD, as a user's config would name
it. With uncommitted work (the normal state while developing the hook) HEAD would test stale
code, and ``pre-commit try-repo`` does not help either: its shadow copy takes tracked
modifications only (``git add -u``), so a new, untracked ``.pre-commit-hooks.yaml`` or module is
missing. The test then snapshots the working tree (tracked and untracked files, minus ignored
ones) into a repository of its own, committed with fixed author and dates so that unchanged
content gives the same commit and hits pre-commit's cache.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"

BAD_POLICY = """\
# Customer Service Policy

## General terms

The Company shall endeavour to respond to all enquiries promptly. Notwithstanding the
foregoing, the Company reserves the right to amend this policy from time to time.
"""


def good_policy(today: dt.date) -> str:
    """A complete, plain policy dated today, so staleness cannot fail it whenever the test runs."""
    return f"""\
# Customer service policy

Last updated: {today.day} {today:%B %Y}

This policy explains how we look after you when you shop with us.

## Contact us

Email help@shop.example or call +1 503 555 0142, Monday to Friday, 9 am to 5 pm.
We reply within 1 business day.

## Returns and refunds

You can return any item within 30 days of delivery. We refund your money within 5 business
days of receiving the item.

## Complaints

Tell us by email or phone. We confirm that we received your complaint within 1 business day
and give you an answer within 10 business days.

## Privacy

We collect your name, address and order history so that we can deliver your orders. We do not
sell your personal data. You can ask us to delete it by emailing privacy@shop.example.
"""


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return result.stdout


def hook_source(cache_dir: Path) -> tuple[Path, str]:
    """The repository and commit pre-commit should install the hook from (see module docstring)."""
    head = git("rev-parse", "HEAD", cwd=ROOT).strip()
    if not git("status", "--porcelain", cwd=ROOT).strip():
        return ROOT, head
    snapshot = cache_dir / "policylint-snapshot"
    shutil.rmtree(snapshot, ignore_errors=True)
    snapshot.mkdir(parents=True)
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT)
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree is left out
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    fixed = {
        **os.environ,
        "GIT_AUTHOR_NAME": "policylint tests",
        "GIT_AUTHOR_EMAIL": "tests@policylint.invalid",
        "GIT_COMMITTER_NAME": "policylint tests",
        "GIT_COMMITTER_EMAIL": "tests@policylint.invalid",
        "GIT_AUTHOR_DATE": "2000-01-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2000-01-01T00:00:00+00:00",
    }
    git("init", "-q", cwd=snapshot)
    git("add", "-A", cwd=snapshot)
    git("commit", "-q", "--no-verify", "-m", f"working tree of {head}", cwd=snapshot, env=fixed)
    return snapshot, git("rev-parse", "HEAD", cwd=snapshot).strip()


def test_manifest_is_valid_and_selects_policy_files() -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extras)")
    import yaml

    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (hook,) = yaml.safe_load(MANIFEST.read_text("utf-8"))
    assert hook["id"] == hook["name"] == "policylint"
    assert hook["entry"] == "policylint check"
    assert hook["language"] == "python"
    assert hook["types"] == ["text"]
    assert hook["pass_filenames"] is True and hook["require_serial"] is False
    assert hook["description"]
    files = re.compile(hook["files"])
    for name in ("privacy.md", "docs/returns.markdown", "page.html", "page.HTM", "terms.txt"):
        assert files.search(name), name
    for name in ("setup.py", "config.yaml", "notes.md.bak", "data.json"):
        assert not files.search(name), name


@pytest.mark.slow
def test_hook_fails_a_bad_policy_and_passes_a_good_one(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed; pre-commit needs it")
    pytest.importorskip("pre_commit", reason="pre-commit is not installed (it is in the test extras)")
    try:
        git("rev-parse", "HEAD", cwd=ROOT)
    except subprocess.CalledProcessError:
        pytest.skip(f"{ROOT} is not a git repository with a commit; pre-commit installs hooks from one")

    cache = getattr(request.config, "cache", None)  # absent under -p no:cacheprovider
    cache_dir = Path(cache.mkdir("pre-commit")) if cache is not None else tmp_path / "pre-commit-cache"
    repo, rev = hook_source(cache_dir)

    work = tmp_path / "policies"
    work.mkdir()
    (work / "bad.md").write_text(BAD_POLICY, encoding="utf-8")
    (work / "good.md").write_text(good_policy(dt.date.today()), encoding="utf-8")
    (work / "notes.py").write_text("print('not a policy')\n", encoding="utf-8")
    (work / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo.as_posix()}\n    rev: {rev}\n    hooks:\n      - id: policylint\n",
        encoding="utf-8",
    )
    git("init", "-q", cwd=work)
    git("add", "-A", cwd=work)

    # One pre-commit home per hook commit; homes for other commits (earlier working trees) are
    # removed so that the cache holds one hook environment (~0.5 GB), not one per edit.
    home = cache_dir / f"home-{rev[:12]}"
    for stale in cache_dir.glob("home*"):
        if stale != home:
            shutil.rmtree(stale, ignore_errors=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
    }

    def pre_commit(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "policylint", "--color", "never", "--files", *files],
            cwd=work,
            capture_output=True,
            text=True,
            env=env,
            timeout=1800,  # the first run installs spaCy and friends into pre-commit's virtualenv
        )

    bad = pre_commit("bad.md")
    output = bad.stdout + bad.stderr
    assert bad.returncode == 1, output
    assert re.search(r"^policylint\.+Failed$", output, re.MULTILINE), output
    assert "bad.md" in output
    for rule in ("sections.missing-returns", "jargon.legalese", "dates.vague-time"):
        assert rule in output, output

    good = pre_commit("good.md")
    assert good.returncode == 0, good.stdout + good.stderr
    assert re.search(r"^policylint\.+Passed$", good.stdout, re.MULTILINE), good.stdout

    skipped = pre_commit("notes.py")
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "(no files to check)Skipped" in skipped.stdout
