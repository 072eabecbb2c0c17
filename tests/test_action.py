"""The GitHub Action: action.yml's shape, and scripts/github-action.sh run the way the runner runs it.

The runner gives a composite step GITHUB_WORKSPACE (the checkout, also the working directory),
GITHUB_ACTION_PATH (the action's own checkout) and whatever the step's ``env:`` block sets;
action.yml passes every input as an ``INPUT_*`` variable. The tests build that environment
around a temporary workspace and run the script with the policylint installed for this Python.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT

yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit (in the test extras)")

ACTION = ROOT / "action.yml"
SCRIPT = ROOT / "scripts" / "github-action.sh"
INPUTS = {
    "paths": ".",
    "fail-on": "error",
    "format": "github",
    "version": "",
    "sarif-file": "",
    "diff-base": "",
}
ANNOTATION = re.compile(r"^::(error|warning|notice) file=([^,]*),line=\d+,.*title=([^,:]+)::.+$")


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text("utf-8"))
    return data


def test_action_inputs() -> None:
    data = action()
    assert data["name"] == "policylint" and data["description"]
    inputs = data["inputs"]
    assert set(inputs) == set(INPUTS)
    for name, default in INPUTS.items():
        assert inputs[name]["default"] == default, name
        assert inputs[name]["description"]
        assert inputs[name].get("required", False) is False


def test_action_steps_install_then_run_the_script() -> None:
    runs = action()["runs"]
    assert runs["using"] == "composite"
    install, check = runs["steps"]
    for step in (install, check):
        assert step["shell"] == "bash" and step["name"]
        # Script injection guard: inputs reach shell code only through env variables.
        assert "${{" not in step["run"], step["run"]
    assert "python -m pip install" in install["run"]
    assert '"$GITHUB_ACTION_PATH"' in install["run"]
    assert '"policylint==$INPUT_VERSION"' in install["run"]
    assert install["env"] == {"INPUT_VERSION": "${{ inputs.version }}"}
    assert check["run"] == 'bash "$GITHUB_ACTION_PATH/scripts/github-action.sh"'
    assert check["env"] == {
        "INPUT_PATHS": "${{ inputs.paths }}",
        "INPUT_FAIL_ON": "${{ inputs.fail-on }}",
        "INPUT_FORMAT": "${{ inputs.format }}",
        "INPUT_SARIF_FILE": "${{ inputs.sarif-file }}",
        "INPUT_DIFF_BASE": "${{ inputs.diff-base }}",
    }
    script = SCRIPT.read_text("utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    for variable in check["env"]:
        assert variable in script


def good_policy() -> str:
    today = dt.date.today()
    return f"""\
# Customer service policy

Last updated: {today.day} {today:%B %Y}

## Contact us

Email help@shop.example or call +1 503 555 0142. We reply within 1 business day.

## Returns and refunds

You can return any item within 30 days of delivery. We refund you within 5 business days.

## Complaints

Tell us by email or phone. We answer within 10 business days.

## Privacy

We collect your name and address to deliver your orders. We do not sell your personal data.
"""


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "workspace"
    shutil.copytree(EXAMPLES / "needs-work", root / "needs-work")
    (root / "good").mkdir()
    (root / "good" / "policy.md").write_text(good_policy(), encoding="utf-8")
    return root


def run_action(workspace: Path, **inputs: str) -> subprocess.CompletedProcess[str]:
    """Run the script as the action's second step would, with ``inputs`` as the action inputs."""
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    scripts = sysconfig.get_path("scripts")
    if shutil.which("policylint", path=scripts) is None and shutil.which("policylint") is None:
        pytest.skip("the policylint console script is not installed for this Python")
    env = {
        "PATH": os.pathsep.join([scripts, os.environ.get("PATH", "")]),
        "HOME": os.environ.get("HOME", str(workspace)),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_REPOSITORY": "example/policies",
        "GITHUB_SHA": "0" * 40,
        "RUNNER_TEMP": str(workspace.parent),
    }
    for name, default in INPUTS.items():
        if name != "version":
            env[f"INPUT_{name.upper().replace('-', '_')}"] = inputs.get(name.replace("-", "_"), default)
    return subprocess.run(
        [bash, str(SCRIPT)],
        cwd=workspace.parent,  # the script must find the workspace itself
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_findings_become_annotations_and_fail_the_step(workspace: Path) -> None:
    result = run_action(workspace, paths="needs-work")
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines and all(ANNOTATION.match(line) for line in lines), result.stdout
    files = {ANNOTATION.match(line).group(2) for line in lines}  # type: ignore[union-attr]
    assert files == {"needs-work/privacy-notice.html", "needs-work/service-policy.md"}
    assert "::error file=needs-work/service-policy.md,line=1,col=3" in result.stdout
    assert "title=sections.missing-returns::" in result.stdout


def test_a_good_policy_passes_with_no_annotations(workspace: Path) -> None:
    result = run_action(workspace, paths="good")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_fail_on_controls_the_exit_code(workspace: Path) -> None:
    # A vague promise with no period beside it ("promptly, within 2 days" is info since the
    # sentence gives the period).
    (workspace / "warn.md").write_text(good_policy() + "\nWe will refund you promptly.\n", encoding="utf-8")
    assert run_action(workspace, paths="warn.md").returncode == 0
    warned = run_action(workspace, paths="warn.md", fail_on="warning")
    assert warned.returncode == 1 and "::warning file=warn.md" in warned.stdout
    assert run_action(workspace, paths="needs-work", fail_on="never").returncode == 0
    assert run_action(workspace, paths="good", fail_on="sometimes").returncode == 2


def test_sarif_file_is_written_alongside_annotations(workspace: Path) -> None:
    result = run_action(workspace, paths="needs-work good", sarif_file="reports/policylint.sarif")
    assert result.returncode == 1, result.stderr
    assert all(ANNOTATION.match(line) for line in result.stdout.splitlines())
    sarif = json.loads((workspace / "reports" / "policylint.sarif").read_text("utf-8"))
    results = sarif["runs"][0]["results"]
    assert len(results) == len(result.stdout.splitlines())
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {"needs-work/privacy-notice.html", "needs-work/service-policy.md"}

    clean = run_action(workspace, paths="good", sarif_file="clean.sarif")
    assert clean.returncode == 0 and clean.stdout == ""
    assert json.loads((workspace / "clean.sarif").read_text("utf-8"))["runs"][0]["results"] == []


def test_paths_one_per_line_may_contain_spaces(workspace: Path) -> None:
    (workspace / "legal docs").mkdir()
    shutil.copy(workspace / "good" / "policy.md", workspace / "legal docs" / "privacy policy.md")
    result = run_action(workspace, paths="good\nlegal docs/privacy policy.md\n", format="text")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 files checked" in result.stdout


def test_inputs_are_data_not_shell_code(workspace: Path) -> None:
    result = run_action(workspace, paths="$(touch pwned) `touch pwned2`")
    assert not (workspace / "pwned").exists() and not (workspace / "pwned2").exists()
    assert not (workspace.parent / "pwned").exists()
    # Each word is just a path that does not exist: named, and the step fails with code 2.
    assert result.returncode == 2
    assert "no such file or folder: $(touch, pwned), `touch, pwned2`" in result.stderr


def test_paths_holding_no_policy_fail_the_step(workspace: Path) -> None:
    (workspace / "empty").mkdir()
    result = run_action(workspace, paths="empty", sarif_file="empty.sarif")
    assert result.returncode == 2, result.stdout + result.stderr
    assert "no policy files found under empty" in result.stderr
    assert json.loads((workspace / "empty.sarif").read_text("utf-8"))["runs"][0]["results"] == []
