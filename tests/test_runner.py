"""Result cache and parallel checking: same output either way, nothing lost when a worker dies."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, TODAY
from policylint import check_paths
from policylint.cache import ResultCache
from policylint.config import Config
from policylint.runner import Task, make_task, run_tasks


def _policies(tmp_path: Path, count: int = 6) -> list[Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(count):
        source = EXAMPLES / ("needs-work/service-policy.md" if i % 2 else "good/customer-service-policy.md")
        target = tmp_path / f"policy-{i}.md"
        shutil.copy(source, target)
        files.append(target)
    return files


def _dump(report: object) -> str:
    return report.model_dump_json()  # type: ignore[attr-defined, no-any-return]


def test_parallel_and_serial_output_is_identical(tmp_path: Path) -> None:
    _policies(tmp_path)
    config = Config(today=TODAY)
    serial = check_paths([tmp_path], config, jobs=1)
    parallel = check_paths([tmp_path], config, jobs=2)
    assert _dump(serial) == _dump(parallel)
    assert serial.summary.files == 6 and serial.findings


def test_warm_cache_gives_identical_results_without_rechecking(tmp_path: Path) -> None:
    files = _policies(tmp_path / "docs", 3)
    cache = ResultCache(tmp_path / "cache")
    config = Config(today=TODAY)
    tasks = [make_task(f, config, None) for f in files]
    cold = run_tasks(tasks, jobs=1, cache=cache)
    assert (cache.hits, cache.misses) == (0, 3)
    warm_cache = ResultCache(tmp_path / "cache")
    warm = run_tasks(tasks, jobs=1, cache=warm_cache)
    assert (warm_cache.hits, warm_cache.misses) == (3, 0)
    assert [c.findings for c in cold] == [c.findings for c in warm]


def test_cache_key_follows_content_config_and_date(tmp_path: Path) -> None:
    (file,) = _policies(tmp_path / "docs", 1)
    cache = ResultCache(tmp_path / "cache")
    run_tasks([make_task(file, Config(today=TODAY), None)], cache=cache)
    file.write_text(file.read_text() + "\nWe reply promptly.\n")
    run_tasks([make_task(file, Config(today=TODAY), None)], cache=cache)
    run_tasks([make_task(file, Config(today=TODAY, ignore=["jargon"]), None)], cache=cache)
    run_tasks([make_task(file, Config(today=TODAY.replace(year=2030)), None)], cache=cache)
    assert cache.hits == 0 and cache.misses == 4


@pytest.mark.parametrize(
    "corrupt",
    [
        "{not json",
        "[]",
        '{"file": {}, "findings": []}',
        '{"file": {"path": "p.md", "format": "markdown"}, "findings": [{"rule": 3}]}',
        "\x00\xff",
    ],
)
def test_corrupt_cache_entries_are_ignored_and_rebuilt(tmp_path: Path, corrupt: str) -> None:
    (file,) = _policies(tmp_path / "docs", 1)
    cache = ResultCache(tmp_path / "cache")
    task = make_task(file, Config(today=TODAY), None)
    (first,) = run_tasks([task], cache=cache)
    hit = ResultCache(tmp_path / "cache")
    (cached,) = run_tasks([task], cache=hit)
    assert hit.hits == 1 and cached.findings == first.findings and cached.file == first.file
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text(corrupt)
    again = ResultCache(tmp_path / "cache")
    (second,) = run_tasks([task], cache=again)
    assert again.misses == 1 and again.hits == 0 and second.findings == first.findings
    entry = next((tmp_path / "cache").rglob("*.json"))
    assert json.loads(entry.read_text())["file"]["path"] == str(file)  # rewritten, valid


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes as a name")
def test_a_display_name_holding_a_lone_surrogate_is_cached_and_read_back(tmp_path: Path) -> None:
    """make_task escapes a name that is not UTF-8 (reader.display_path), but a library caller
    may give its own display name; pydantic-core cannot write a lone surrogate as JSON."""
    folder = tmp_path / "docs"
    folder.mkdir()
    name = os.fsdecode(b"caf\xe9-policy.md")
    (folder / name).write_text("# Returns\n\nWe reply promptly and as soon as possible.\n")
    task = Task(path=folder / name, config=Config(today=TODAY), fmt="markdown", display=name)
    assert make_task(folder / name, Config(today=TODAY), None).display.endswith("caf%E9-policy.md")
    cache = ResultCache(tmp_path / "cache")
    (first,) = run_tasks([task], cache=cache)
    assert first.file.path == name and first.findings
    again = ResultCache(tmp_path / "cache")
    (second,) = run_tasks([task], cache=again)
    assert again.hits == 1 and second.file == first.file and second.findings == first.findings


def test_prune_removes_old_entries_and_other_versions(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put("ab" * 32, b'{"file": {}, "findings": []}')
    old = tmp_path / "v0.0.1" / "ab" / "x.json"
    old.parent.mkdir(parents=True)
    old.write_text("{}")
    assert cache.prune() == 1 and not old.exists()
    assert cache.prune(now=10**12) == 1


def test_prune_removes_stale_replayed_output_but_not_other_files(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    runs = cache.dir / "runs"
    runs.mkdir(parents=True)
    output = runs / "key-digest.txt"
    output.write_text("a recorded report\n")
    unrelated = runs / "notes.md"
    unrelated.write_text("not ours\n")
    assert cache.prune() == 0 and output.exists()
    assert cache.prune(now=10**12) == 1
    assert not output.exists() and unrelated.exists()


def test_a_dead_worker_loses_only_its_own_file(tmp_path: Path, installed_plugin: Path) -> None:
    files = _policies(tmp_path, 5)
    files[2].write_text("# Policy\n\nKILL-THE-WORKER\n")
    config = Config(today=TODAY, rule_paths=[installed_plugin], select=["style.kill", "jargon"])
    tasks: list[Task] = [make_task(f, config, None) for f in files]
    results = run_tasks(tasks, jobs=2)
    by_file = {Path(r.file.path).name: [f.rule for f in r.findings] for r in results}
    assert by_file["policy-2.md"] == ["internal.worker-crash"]
    assert by_file["policy-1.md"] and all(r.startswith("jargon") for r in by_file["policy-1.md"])
    assert len(results) == 5


def test_cli_warm_run_uses_the_cache_and_skips_revalidation(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    _policies(tmp_path / "docs", 2)
    env = {**os.environ, "POLICYLINT_CACHE_DIR": str(tmp_path / "cache")}
    cmd = [sys.executable, "-m", "policylint.cli", "check", str(tmp_path / "docs"), "--format", "json"]
    cold = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert list((tmp_path / "cache").rglob("valid-configs/*"))
    code = (
        "import sys, runpy; sys.argv = " + repr(["policylint", *cmd[3:]]) + "\n"
        "try:\n    runpy.run_module('policylint.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY', file=sys.stderr)"
    )
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert warm.stdout == cold.stdout
    assert warm.stderr.strip().endswith("NO-SPACY")


def test_workers_are_started_only_when_they_pay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """By default a small tree (under MIN_BYTES_FOR_POOL) is checked in this process: starting
    workers costs more than they save. An explicit --jobs is obeyed; output is the same."""
    from policylint import runner

    files = _policies(tmp_path, 5)
    config = Config(today=TODAY)
    tasks = [make_task(f, config, None) for f in files]
    serial = run_tasks(tasks)
    assert runner.workers_used() == 1
    forced = run_tasks(tasks, jobs=2)
    assert runner.workers_used() == 2
    monkeypatch.setattr(runner, "MIN_BYTES_FOR_POOL", 0)
    monkeypatch.setattr(runner, "default_jobs", lambda: 2)
    default = run_tasks(tasks)
    assert runner.workers_used() == 2
    assert [c.findings for c in serial] == [c.findings for c in forced] == [c.findings for c in default]


def test_a_parallel_run_unfreezes_the_heap_only_for_a_library_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm-up freezes the heap before forking. A host program gets its collector back; the
    CLI (nlp.FREEZE_HEAP) keeps it frozen, because unfreezing made the exiting process's last
    collection walk all of spaCy again (0.13-0.17 s after a parallel run)."""
    import gc

    from policylint import nlp

    tasks = [make_task(f, Config(today=TODAY), None) for f in _policies(tmp_path, 4)]
    try:
        run_tasks(tasks, jobs=2)
        assert gc.get_freeze_count() == 0
        monkeypatch.setattr(nlp, "FREEZE_HEAP", True)
        run_tasks(tasks, jobs=2)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_the_command_asks_openblas_for_one_thread_unless_told_otherwise() -> None:
    from policylint.cli import single_threaded_blas

    environ: dict[str, str] = {}
    assert single_threaded_blas(environ, loaded=set()) and environ == {"OPENBLAS_NUM_THREADS": "1"}
    chosen = {"OPENBLAS_NUM_THREADS": "8"}
    assert not single_threaded_blas(chosen, loaded=set()) and chosen == {"OPENBLAS_NUM_THREADS": "8"}
    too_late: dict[str, str] = {}  # numpy read the variable when it was imported
    assert not single_threaded_blas(too_late, loaded={"numpy"}) and too_late == {}


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")
def test_a_check_leaves_no_idle_blas_threads_behind() -> None:
    """numpy's OpenBLAS starts a spinning thread per core; the command keeps it to one."""
    import subprocess

    # Every variable OpenBLAS reads (a Dask test earlier in the session sets OMP_NUM_THREADS=1).
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS")
    }
    count = "import os; print(len(os.listdir('/proc/self/task')))"
    plain = subprocess.run(
        [sys.executable, "-c", f"import numpy; {count}"], env=env, capture_output=True, text=True
    )
    if int(plain.stdout) < 2:
        pytest.skip("numpy starts no BLAS threads here (one core, or not OpenBLAS): nothing to compare")
    policy = EXAMPLES / "good" / "customer-service-policy.md"
    run = (
        "import sys; from policylint.cli import entry; "
        f"sys.argv = ['policylint', 'check', '--no-cache', '--fail-on', 'never', '-f', 'json', '-o', os.devnull, {str(policy)!r}]; "
        "entry(); "
    )
    checked = subprocess.run(
        [sys.executable, "-c", f"import os; {run}{count}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert int(checked.stdout) == 1, checked.stderr


def test_the_collector_pause_is_undone_only_by_whoever_paused_it() -> None:
    import gc

    from policylint import heap

    assert gc.isenabled()
    try:
        heap.pause()
        assert not gc.isenabled()
        heap.freeze()
        assert gc.isenabled() and gc.get_freeze_count() > 0
        gc.unfreeze()
        gc.disable()  # a host program that runs without the collector...
        heap.pause()
        heap.freeze()
        assert not gc.isenabled()  # ...keeps it off: policylint did not turn it off
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_command_collects_garbage_only_once_the_pipeline_is_built() -> None:
    """The script (cli.entry) pauses the collector while starting and resumes it once the heap is
    frozen; cli.main, which programs call in their own process, leaves it alone."""
    import subprocess

    policy = EXAMPLES / "good" / "customer-service-policy.md"
    probe = (
        "import gc, os, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'stop' and runs.append(1))\n"
        "from policylint import cli\n"
        f"sys.argv = ['policylint', 'check', '--no-cache', '--fail-on', 'never', '-f', 'json', '-o', os.devnull, {str(policy)!r}]\n"
        "code = cli.{}()\n"
        "print(len(runs), gc.isenabled(), gc.get_freeze_count() > 0, code)\n"
    )

    def collections(function: str) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, "-c", probe.format(function)], capture_output=True, text=True, check=True
        )
        count, *rest = done.stdout.split()
        return int(count), " ".join(rest)

    paused, state = collections("entry")
    assert state == "True True 0"  # collecting again, heap frozen, the same exit code
    usual, state = collections("main")
    assert state == "True True 0"
    assert paused * 3 < usual, (paused, usual)
    other = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, sys; from policylint import cli; sys.argv = ['policylint', 'rules']; "
            "cli.entry(); print(gc.isenabled())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.split()[-1] == "True"  # other commands are not paused at all


def test_the_warm_up_checks_one_example_per_rule_kind_unless_thorough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Before forking, the parent checks a small document that reaches every rule kind's code; the
    warm server, which warms up once for all its requests, checks every rule's examples."""
    import gc

    from policylint import engine, runner

    catalog = engine.catalog_for(Config(today=TODAY))
    checked: list[str] = []
    monkeypatch.setattr(engine, "check_source", lambda source, *args, **kwargs: checked.append(source))
    task = Task(path=Path("<warm-up>"), config=Config(today=TODAY), fmt="markdown", display="<warm-up>")
    try:
        runner._warm_up([task])
        runner._warm_up([task], thorough=True)
    finally:
        gc.unfreeze()
    quick, thorough = checked
    kinds = {spec.kind for spec in catalog.rules.values()}
    assert all(f"\n## {kind}\n" in quick for kind in kinds)
    assert not any(f"\n## {rule_id}\n" in quick for rule_id in catalog.rules)
    assert all(f"\n## {rule_id}\n" in thorough for rule_id in catalog.rules)
    assert len(quick) * 4 < len(thorough)
