"""policylint on a small local Dask cluster: lint_batch and the crawl example give the same findings
as checking locally, and a bad document is an error record, never a failed batch.

Skips without dask (``pip install "policylint[distributed]"``; the test extra includes it).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import policylint
from conftest import EXAMPLES, ROOT, TODAY
from policylint.batch import lint_batch, report_from_results
from policylint.config import Config
from policylint.findings import Report

pytest.importorskip(
    "distributed",
    reason="dask[distributed] is not installed: python -m pip install '.[test]' (or '.[distributed]')",
)
from distributed import Client, LocalCluster

pytestmark = pytest.mark.slow

CONFIG = Config(today=TODAY)
EXAMPLE = ROOT / "examples" / "distributed" / "lint_crawl_dask.py"
FORMATS = {".md": "markdown", ".html": "html", ".txt": "text"}
POLICIES = [
    *sorted(p for p in EXAMPLES.rglob("*") if p.suffix in FORMATS),
    ROOT
    / "tests"
    / "fixtures"
    / "lang"
    / "nb-bad.md",  # a second language (one whose lemma table loads fast)
]
PDF = b"%PDF-1.7\n\x00\x01\x02 a scanned policy"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Overrides conftest's: the cluster talks over loopback, and nothing may go further."""
    connect, create_connection = socket.socket.connect, socket.create_connection

    def host(address: Any) -> str:
        return str(address[0]) if isinstance(address, tuple) else "unix"

    def loopback_connect(self: socket.socket, address: Any) -> None:
        if self.family != socket.AF_UNIX and host(address) not in LOOPBACK:
            raise AssertionError(f"network access attempted: {address!r}")
        connect(self, address)

    def loopback_create(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if host(address) not in LOOPBACK:
            raise AssertionError(f"network access attempted: {address!r}")
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", loopback_connect)
    monkeypatch.setattr(socket, "create_connection", loopback_create)


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """Two single-threaded worker processes, as the example starts them (a few seconds)."""
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        yield client


def _expected(records: list[tuple[str, str, str]], paths: list[str]) -> Report:
    merged = policylint.check_paths(paths, CONFIG) if paths else Report()
    for name, text, fmt in records:
        report = policylint.check_text(text, fmt, CONFIG, path=name)
        merged.files.extend(report.files)
        merged.findings.extend(report.findings)
    return merged.finalize()


def _records() -> list[tuple[str, str, str]]:
    return [
        (f"https://shop.example/{p.parent.name}/{p.stem}", p.read_text(encoding="utf-8"), FORMATS[p.suffix])
        for p in POLICIES
    ]


def test_lint_batch_on_a_cluster_matches_local_checks(client: Client, tmp_path: Path) -> None:
    binary = tmp_path / "scanned-policy.md"
    binary.write_bytes(PDF)
    paths = [str(p) for p in POLICIES] + [str(binary)]
    records = _records()
    items: list[Any] = [*paths, *records, ("upload.html", PDF)]
    batches = [items[i : i + 3] for i in range(0, len(items), 3)]
    futures = client.map(lint_batch, batches, config=CONFIG, pure=False)
    results = [result for batch in client.gather(futures) for result in batch]

    assert [r["name"] for r in results] == [i if isinstance(i, str) else i[0] for i in items]
    assert report_from_results(results[:-1]) == _expected(records, paths)
    for bad in (results[len(paths) - 1], results[-1]):
        assert bad["error"] is not None and "PDF document" in bad["error"]
        assert [f["rule"] for f in bad["findings"]] == ["io.unreadable"]
    assert sum(r["error"] is None for r in results) == len(POLICIES) * 2
    assert {r["language"] for r in results} >= {"en", "nb"}


def _run_example(client: Client, tmp_path: Path, *args: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    config = tmp_path / "policylint.toml"
    config.write_text(f"today = {TODAY.isoformat()}\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    command = [sys.executable, str(EXAMPLE), *args, "--scheduler", client.scheduler.address]
    command += ["--config", str(config), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    results = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    summary = json.loads((tmp_path / "results.jsonl.summary.json").read_text(encoding="utf-8"))
    return results, summary


def test_the_crawl_example_on_a_jsonl_manifest(client: Client, tmp_path: Path) -> None:
    records = _records()
    manifest = tmp_path / "crawl.jsonl"
    lines = [json.dumps({"name": n, "text": t, "format": f}) for n, t, f in records]
    lines.insert(2, '{"name": "truncated", "text": "We ')  # a line cut short by a failed upload
    lines.append("[1, 2]")  # JSON, but not a record
    lines.append(json.dumps({"name": "https://shop.example/terms", "path": str(POLICIES[0])}))
    lines.append(json.dumps({"path": str(tmp_path / "gone.md")}))
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")

    results, summary = _run_example(client, tmp_path, str(manifest), "--block-size", "1500")

    by_name = {r["name"]: r for r in results}
    assert len(results) == len(lines) == len(by_name)
    expected = _expected(
        [*records, ("https://shop.example/terms", POLICIES[0].read_text("utf-8"), "markdown")], []
    )
    checked = [by_name[f.path] for f in expected.files]
    assert report_from_results(checked) == expected
    for index, what in ((2, ""), (len(records) + 1, "a JSON list")):
        broken = by_name[f"{manifest}@{len(chr(10).join(lines[:index])) + 1}"]
        assert broken["error"] is not None and f"is not a JSON object: {what}" in broken["error"]
    assert by_name[str(tmp_path / "gone.md")]["error"] == f"{tmp_path / 'gone.md'} does not exist"
    assert summary["documents"] == len(lines) and summary["errors"] == 3
    assert summary["findings"] == sum(len(r["findings"]) for r in results)
    assert summary["batches"] > 2 and summary["failed_batches"] == []
    assert summary["workers"] == 2 and summary["documents_per_second"] > 0


def test_the_crawl_example_on_a_folder(client: Client, tmp_path: Path) -> None:
    results, summary = _run_example(client, tmp_path, str(EXAMPLES), "--batch-size", "2")
    expected = policylint.check_paths([EXAMPLES], CONFIG)
    assert report_from_results(sorted(results, key=lambda r: r["name"])) == expected
    assert summary["documents"] == len(expected.files) and summary["batches"] == 2


def test_the_crawl_example_on_parquet(client: Client, tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (only Parquet input needs it)")
    import pyarrow.parquet as pq

    records = _records()
    table = pa.Table.from_pylist([{"name": n, "text": t, "format": f} for n, t, f in records])
    manifest = tmp_path / "crawl.parquet"
    pq.write_table(table, manifest, row_group_size=2)
    results, summary = _run_example(client, tmp_path, str(manifest))
    assert report_from_results(results) == _expected(records, [])
    assert summary["batches"] == (len(records) + 1) // 2
