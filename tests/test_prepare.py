"""The warm-up helper (prepare.py): files it prepares get exactly the findings a plain check
gives, whatever it got through before it was stopped, and it never needs spaCy."""

from __future__ import annotations

import json
import pickle
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, TODAY
from policylint import check_paths, prepare, runner
from policylint.api import check_file
from policylint.checks import base
from policylint.checks.metrics import SentenceLength
from policylint.config import Config
from policylint.document import Document
from policylint.engine import CheckedFile, check_document, text_rule_findings
from policylint.runner import make_task

FIXTURES = Path(__file__).parent / "fixtures"
FRENCH = (
    "# Politique de service\n\nNous répondons à toutes les demandes dans les meilleurs délais. "
    "Pour toute question, écrivez-nous et nous vous répondrons rapidement.\n"
)


def _examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.rglob("*") if p.suffix in (".md", ".html", ".txt"))


def _policies(folder: Path) -> list[Path]:
    """Every kind of file a run meets: English examples, the other languages' fixtures,
    documents with sections in another language, a language no pack covers, an unreadable file."""
    folder.mkdir()
    sources = [*_examples(), *sorted((FIXTURES / "lang").glob("*.md"))]
    sources += sorted((FIXTURES / "mixed").iterdir())
    for number, source in enumerate(sources):
        shutil.copy(source, folder / f"{number:02d}-{source.name}")
    (folder / "french.md").write_text(FRENCH, encoding="utf-8")
    (folder / "binary.md").write_bytes(b"\x00\x01\x02 not a policy \x00" * 20)
    return sorted(folder.iterdir())


def _dump(report: object) -> str:
    return report.model_dump_json()  # type: ignore[attr-defined, no-any-return]


def test_a_prepared_document_gets_the_findings_of_a_plain_check(tmp_path: Path) -> None:
    """What the helper ships (pickled: the Document, then the spaCy-free rules' findings, made on
    the helper's own copy) and the worker finishes is what check_file gives, file by file."""
    config = Config(today=TODAY)
    ahead_seen = 0
    for path in _policies(tmp_path / "docs"):
        task = make_task(path, config, None)
        expected = check_file(path, config, task.fmt, task.display)
        loaded = prepare.load(task)
        shipped = pickle.loads(pickle.dumps(loaded))
        if isinstance(loaded, CheckedFile):
            assert path.name == "binary.md"
            assert shipped == expected
            continue
        assert isinstance(shipped, Document)
        ahead = pickle.loads(pickle.dumps(text_rule_findings(loaded, config)))
        ahead_seen += bool(ahead)
        checked = check_document(shipped, config, classified=True, ahead=ahead)
        assert checked == expected, path.name
    assert ahead_seen >= 20  # every supported document had spaCy-free rules run ahead


def test_text_rule_findings_cover_exactly_the_kinds_that_need_no_spacy(tmp_path: Path) -> None:
    config = Config(today=TODAY)
    task = make_task(EXAMPLES / "needs-work" / "service-policy.md", config, None)
    document = prepare.load(task)
    assert isinstance(document, Document)
    ahead = text_rule_findings(document, config)
    full = check_file(task.path, config)
    by_rule = {f.rule for findings in ahead.values() for f in findings}
    assert by_rule and by_rule < {f.rule for f in full.findings}
    assert "readability.document-grade" in by_rule
    assert not any(rule.startswith(("jargon.", "readability.long-sentence")) for rule in by_rule)


def test_a_kind_wrongly_marked_as_needing_no_spacy_leaves_the_document_to_the_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = Config(today=TODAY)
    task = make_task(EXAMPLES / "needs-work" / "service-policy.md", config, None)
    document = prepare.load(task)
    assert isinstance(document, Document)
    monkeypatch.setattr(SentenceLength, "uses_nlp", False)  # it reads spaCy's sentences
    monkeypatch.setattr(base, "_nlp_refused", True)  # as in the helper
    assert text_rule_findings(document, config) == {}  # no internal.rule-error, nothing half done
    monkeypatch.setattr(base, "_nlp_refused", False)
    checked = check_document(document, config, classified=True, ahead={})
    assert checked == check_file(task.path, config)
    assert any(f.rule == "readability.long-sentence" for f in checked.findings)


def _work_in_process(tasks: list[runner.Task]) -> bytes:
    with tempfile.TemporaryFile() as out:
        prepare._work(tasks, out.fileno())
        out.seek(0)
        return out.read()


def test_records_cut_short_by_the_kill_are_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_nlp_refused", False)  # _work refuses spaCy for this process
    config = Config(today=TODAY)
    tasks = [make_task(p, config, None) for p in _examples()[:3]]
    data = _work_in_process(tasks)
    whole = prepare._records(data, len(tasks))
    assert sorted(whole.loaded) == [0, 1, 2] and sorted(whole.ahead) == [0, 1, 2]
    assert whole.seconds["parse"] > 0
    cut = prepare._records(data[:-1], len(tasks))  # the last record (file 2's rules) is incomplete
    assert sorted(cut.loaded) == [0, 1, 2] and sorted(cut.ahead) == [0, 1]
    assert prepare._records(data[:10], len(tasks)).loaded == {}


def test_the_helper_stops_writing_at_its_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_nlp_refused", False)
    monkeypatch.setattr(prepare, "MAX_BYTES", 1)
    config = Config(today=TODAY)
    tasks = [make_task(p, config, None) for p in _examples()[:3]]
    prepared = prepare._records(_work_in_process(tasks), len(tasks))
    assert list(prepared.loaded) == [0] and prepared.ahead == {}


@pytest.mark.parametrize("finish", [True, False], ids=["helper-finishes", "helper-killed"])
def test_a_parallel_run_with_the_helper_matches_a_serial_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finish: bool
) -> None:
    """The helper forked for real: let it finish everything (so that every file is checked from
    what it prepared), or stop it when the warm-up ends as a run does."""
    _policies(tmp_path / "docs")
    config = Config(today=TODAY)
    serial = check_paths([tmp_path / "docs"], config, jobs=1)
    monkeypatch.setattr(runner, "_helper_pays", lambda: True)  # spaCy is imported in this process
    if finish:
        monkeypatch.setattr(prepare, "_stop", lambda process: process.join())
    used: list[prepare.Prepared] = []
    run_pool = runner._run_pool

    def spy(pending: Any, jobs: int, done: Any, ready: prepare.Prepared) -> None:
        used.append(ready)
        run_pool(pending, jobs, done, ready)

    monkeypatch.setattr(runner, "_run_pool", spy)
    parallel = check_paths([tmp_path / "docs"], config, jobs=2)
    assert _dump(parallel) == _dump(serial)
    (ready,) = used
    if finish:
        assert len(ready.loaded) == serial.summary.files
        assert len(ready.ahead) == serial.summary.files - 1  # all but the binary file
    assert runner._prepared.loaded == {}  # released once the pool is done


@pytest.mark.parametrize("finish", [True, False], ids=["helper-finishes", "helper-killed"])
def test_a_one_process_run_with_the_helper_matches_one_without(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, finish: bool
) -> None:
    """Below the pool's threshold (a pre-commit run on a few files) the helper prepares files
    while this process imports spaCy; an explicit ``jobs=1`` means one process, no helper."""
    files = _policies(tmp_path / "docs")
    config = Config(today=TODAY)
    tasks = [make_task(f, config, None) for f in files]
    monkeypatch.setattr(runner, "_helper_pays", lambda: True)
    forked: list[prepare.Prepared] = []
    alongside = runner._alongside

    def spy(start_up: Any, pending: Any) -> prepare.Prepared:
        forked.append(alongside(start_up, pending))
        return forked[-1]

    monkeypatch.setattr(runner, "_alongside", spy)
    alone = runner.run_tasks(tasks, jobs=1)
    assert forked == []
    if finish:
        monkeypatch.setattr(prepare, "_stop", lambda process: process.join())
    helped = runner.run_tasks(tasks)  # 23 small files: below the pool's threshold
    assert runner.workers_used() == 1
    assert helped == alone
    (ready,) = forked
    if finish:
        assert len(ready.loaded) == len(files) and len(ready.ahead) == len(files) - 1
    assert runner._prepared.loaded == {}


def test_the_helper_never_imports_spacy(tmp_path: Path) -> None:
    """A kind marked ``uses_nlp = False`` that imported spaCy by itself would slow every helper
    down instead of failing: run the helper's loop over every kind of file in a fresh interpreter
    and look."""
    folder = tmp_path / "docs"
    _policies(folder)
    script = f"""
import json, sys, tempfile
from pathlib import Path
from policylint import prepare
from policylint.config import Config
from policylint.engine import validate_config
from policylint.runner import make_task
config = Config()
validate_config(config)
tasks = [make_task(p, config, None) for p in sorted(Path({str(folder)!r}).iterdir())]
with tempfile.TemporaryFile() as out:
    prepare._work(tasks, out.fileno())
    out.seek(0)
    prepared = prepare._records(out.read(), len(tasks))
print(json.dumps({{"spacy": sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc")),
                  "loaded": len(prepared.loaded), "ahead": len(prepared.ahead), "files": len(tasks)}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True
    )
    seen = json.loads(result.stdout)
    assert seen["spacy"] == []
    assert seen["loaded"] == seen["files"]
    assert seen["ahead"] == seen["files"] - 1  # all but the binary file (French: no rules, none ahead)
