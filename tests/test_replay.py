"""Replaying an unchanged run (replay.py): the same output and exit code with nothing heavy
imported, and never a stale answer when anything the run read has changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES

_RUN = (
    "import sys, runpy\n"
    "sys.argv = ['policylint', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('policylint', run_name='__main__')\n"
    "except SystemExit as exit:\n"
    "    code = exit.code\n"
    "heavy = sorted(m for m in ('pydantic', 'spacy', 'rich') if m in sys.modules)\n"
    "print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def _check(tmp_path: Path, *args: str) -> tuple[int, str, str, list[str]]:
    """Run ``policylint check`` in a fresh interpreter: exit code, stdout, stderr and which
    heavy modules it imported."""
    env = {**os.environ, "POLICYLINT_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-c", _RUN, "check", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    stderr, _, heavy = result.stderr.rpartition("HEAVY=")
    return result.returncode, result.stdout, stderr, [m for m in heavy.strip().split(",") if m]


def _service_docs(tmp_path: Path) -> Path:
    """A docs/ folder holding one policy with findings of several families."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "service.md").write_text(
        (EXAMPLES / "needs-work" / "service-policy.md").read_text("utf-8"), "utf-8"
    )
    return docs


def _rules(stdout: str) -> list[tuple[str, str, int]]:
    return [(f["path"], f["rule"], f["line"]) for f in json.loads(stdout)["findings"]]


def test_an_unchanged_run_is_replayed_without_loading_anything_heavy(tmp_path: Path) -> None:
    _service_docs(tmp_path)
    args = ("docs", "--format", "json", "--fail-on", "warning")
    cold = _check(tmp_path, *args)
    assert cold[0] == 1 and "spacy" in cold[3]
    warm = _check(tmp_path, *args)
    assert warm[:3] == cold[:3]  # exit code, report and messages
    assert warm[3] == []  # neither pydantic, spaCy nor rich
    text = _check(tmp_path, "docs", "--format", "text", "--fail-on", "warning")
    assert text[0] == 1 and "service.md" in text[1] and not text[1].lstrip().startswith("{")
    again = _check(tmp_path, *args)  # the JSON record is still there beside the text one
    assert again[:3] == cold[:3] and again[3] == []

    # A config file appearing in a parent folder (looked for, not walked) is noticed too.
    (tmp_path / "policylint.toml").write_text('ignore = ["jargon"]\n', "utf-8")
    configured = _check(tmp_path, *args)
    assert configured[3], "a new config file must not be answered from the record"
    assert any(r.startswith("jargon.") for _, r, _ in _rules(cold[1]))
    assert not any(r.startswith("jargon.") for _, r, _ in _rules(configured[1]))


def test_an_edit_a_new_file_or_a_new_config_is_never_replayed_stale(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    policy = docs / "service.md"
    original = (EXAMPLES / "good" / "customer-service-policy.md").read_text("utf-8")
    policy.write_text(original, "utf-8")
    args = ("docs", "--format", "json", "--fail-on", "never", "--today", "2026-06-01")
    first = _rules(_check(tmp_path, *args)[1])

    # Same size, same second: only the bytes tell this edit apart.
    edited = original.replace("Contact", "Kontakt", 1)
    assert len(edited) == len(original) and edited != original
    policy.write_text(edited + "\nWe will reply promptly.\n", "utf-8")
    vague = _check(tmp_path, *args)
    assert vague[3], "an edited policy must be checked again"
    assert ("docs/service.md", "dates.vague-time") in {(p, r) for p, r, _ in _rules(vague[1])}

    (docs / "returns.md").write_text("# Returns\n\nWe refund within a reasonable time.\n", "utf-8")
    added = _check(tmp_path, *args)
    assert "docs/returns.md" in {p for p, _, _ in _rules(added[1])}

    (docs / "policylint.toml").write_text('ignore = ["dates"]\n', "utf-8")
    configured = _check(tmp_path, *args)
    assert not any(r.startswith("dates.") for _, r, _ in _rules(configured[1]))
    (docs / "policylint.toml").write_text('ignore = ["jargon"]\n', "utf-8")
    reconfigured = _check(tmp_path, *args)
    assert any(r.startswith("dates.") for _, r, _ in _rules(reconfigured[1]))
    assert first != _rules(reconfigured[1])


def test_output_files_and_messages_are_replayed_and_no_cache_records_nothing(tmp_path: Path) -> None:
    docs = _service_docs(tmp_path)
    baseline = tmp_path / "baseline.json"
    _check(tmp_path, "docs", "--write-baseline", str(baseline))
    (docs / "service.md").write_text(
        (docs / "service.md").read_text("utf-8") + "\nWe answer promptly.\n", "utf-8"
    )
    args = ("docs", "--baseline", str(baseline), "--format", "json", "--output", "report.json")
    cold = _check(tmp_path, *args)
    report = (tmp_path / "report.json").read_text("utf-8")
    assert "findings in the baseline" in cold[2]
    (tmp_path / "report.json").unlink()
    warm = _check(tmp_path, *args)
    assert warm[3] == [] and warm[0] == cold[0] and warm[2] == cold[2]
    assert (tmp_path / "report.json").read_text("utf-8") == report

    runs = tmp_path / "cache"
    before = sorted(runs.rglob("runs/*.json"))
    _check(tmp_path, "docs", "--no-cache", "--format", "json")
    assert sorted(runs.rglob("runs/*.json")) == before


def test_the_output_is_stored_beside_the_record_and_a_damaged_copy_is_not_replayed(tmp_path: Path) -> None:
    """The report is kept as text next to the small JSON record (decoding it inside the record
    cost every replay time); a copy of the wrong size means the run is done again."""
    _service_docs(tmp_path)
    args = ("docs", "--format", "json", "--fail-on", "never")
    cold = _check(tmp_path, *args)
    (record,) = (tmp_path / "cache").glob("v*/runs/*.json")
    (stored,) = record.parent.glob(f"{record.stem}-*.txt")
    assert stored.read_text("utf-8") == cold[1]
    assert cold[1] not in record.read_text("utf-8")
    assert _check(tmp_path, *args)[3] == []  # replayed

    stored.write_text(cold[1][:-10], "utf-8")
    damaged = _check(tmp_path, *args)
    assert damaged[:3] == cold[:3] and damaged[3], "a damaged copy must not be replayed"
    (again,) = record.parent.glob(f"{record.stem}-*.txt")  # recorded anew, one copy per record
    assert again.read_text("utf-8") == cold[1]
    assert _check(tmp_path, *args)[3] == []


def test_any_recorded_text_replays_exactly(tmp_path: Path) -> None:
    """Output holding lone surrogates (an undecodable file name, escaped by Python) is replayed
    as it was, never a crash when recording."""
    from policylint.replay import Outcome, Recorder, RunStore

    store = RunStore(tmp_path, "s" * 64)
    text = "bad-\udcff-name.md:1:1 \ud800 é ☃\r\n\n"
    store.record(Recorder(outputs=frozenset()), Outcome(text, "", 1))
    replayed = store.replay()
    assert replayed is not None and replayed.stdout == text


def test_a_new_recording_replaces_the_older_output(tmp_path: Path) -> None:
    from policylint.replay import Outcome, Recorder, RunStore

    store = RunStore(tmp_path, "k" * 64)
    store.record(Recorder(outputs=frozenset()), Outcome("first report\n", "", 0))
    store.record(Recorder(outputs=frozenset()), Outcome("second report, longer\n", "a message\n", 1))
    assert [p.read_text("utf-8") for p in store.path.parent.glob("k*-*.txt")] == ["second report, longer\n"]
    replayed = store.replay()
    assert replayed is not None
    assert (replayed.stdout, replayed.stderr, replayed.code) == ("second report, longer\n", "a message\n", 1)
