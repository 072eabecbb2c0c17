"""Lint a large crawl of policies on a Dask cluster, with policylint.lint_batch doing the work.

The input is one of:

* a folder: every .md, .markdown, .html, .htm and .txt file under it, in batches of
  ``--batch-size`` paths (the workers read the files, so they must share the file system);
* a JSON Lines manifest (``.jsonl``): one ``{"name": ..., "text": ..., "format": ...}`` object per
  line (or ``"path"`` instead of ``"text"``), split into byte ranges of ``--block-size`` that each
  worker reads itself;
* a Parquet file (``.parquet``, needs pyarrow) with ``name`` and ``text`` columns (``format``
  and ``path`` optional): one batch per row group.

A manifest may be a local path or any URL fsspec can open (``s3://``, ``gs://``… with s3fs,
gcsfs… installed on the client and the workers). The results go to ``--out`` as JSON Lines, one
line per document (see policylint.batch.DocumentResult), and a summary to ``--summary``.

    pip install "policylint[distributed]"
    python lint_crawl_dask.py crawl/ --out results.jsonl                  # a local cluster
    python lint_crawl_dask.py crawl.jsonl --scheduler tcp://10.0.0.5:8786  # a running cluster

See docs/scaling.md for sizing batches and workers, deduplication and failure handling.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import fsspec
from distributed import Client, LocalCluster, as_completed

from policylint import Config
from policylint.batch import DocumentResult, error_result, lint_batch, warm_up
from policylint.config import load_config_file

SUFFIXES = {".md", ".markdown", ".html", ".htm", ".txt"}


@dataclass(frozen=True)
class Batch:
    """A slice of the input, small to ship: the worker that runs it reads the documents itself."""

    kind: str  # "paths", "jsonl" or "parquet"
    source: str  # the manifest (unused for "paths")
    start: int = 0  # jsonl: byte offset; parquet: row group
    stop: int = 0  # jsonl: byte offset (exclusive)
    paths: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.kind == "paths":
            return f"{len(self.paths)} files from {self.paths[0]}"
        if self.kind == "jsonl":
            return f"{self.source} bytes {self.start:,}-{self.stop:,}"
        return f"{self.source} row group {self.start}"


def plan(source: str, batch_size: int, block_size: int) -> list[Batch]:
    """Cut the input into batches. Only names and sizes are read here, never the documents."""
    if Path(source).is_dir():
        files = sorted(
            str(p) for p in Path(source).rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file()
        )
        return [
            Batch("paths", source, paths=tuple(files[i : i + batch_size]))
            for i in range(0, len(files), batch_size)
        ]
    fs, path = fsspec.core.url_to_fs(source)
    if source.endswith(".parquet"):
        import pyarrow.parquet as pq

        with fs.open(path, "rb") as handle:
            groups = pq.ParquetFile(handle).num_row_groups
        return [Batch("parquet", source, start=g) for g in range(groups)]
    size = fs.size(path)
    return [
        Batch("jsonl", source, start=s, stop=min(s + block_size, size)) for s in range(0, size, block_size)
    ]


def load(batch: Batch) -> tuple[list[Any], list[tuple[str, str]]]:
    """On a worker: the batch's items for lint_batch, and (name, reason) for lines that are not JSON."""
    if batch.kind == "paths":
        return list(batch.paths), []
    if batch.kind == "parquet":
        import pyarrow.parquet as pq

        with fsspec.open(batch.source, "rb") as handle:
            return pq.ParquetFile(handle).read_row_group(batch.start).to_pylist(), []
    items: list[Any] = []
    broken: list[tuple[str, str]] = []
    with fsspec.open(batch.source, "rb") as handle:
        if batch.start:  # the line that straddles our start belongs to the previous batch
            handle.seek(batch.start - 1)
            handle.readline()
        while (offset := handle.tell()) < batch.stop:
            line = handle.readline()
            if not line:
                break
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                problem = None if isinstance(record, dict) else f"a JSON {type(record).__name__}"
            except ValueError as exc:
                problem = str(exc)
            if problem is not None:
                broken.append((f"{batch.source}@{offset}", f"is not a JSON object: {problem}"))
                continue
            if "name" not in record and "path" not in record:
                record["name"] = f"{batch.source}@{offset}"
            items.append(record)
    return items, broken


def run_batch(batch: Batch, config: str) -> list[DocumentResult]:
    """The task each worker runs: read the batch where it lives, lint it, return plain results."""
    items, broken = load(batch)
    return lint_batch(items, config) + [error_result(name, reason, config) for name, reason in broken]


@dataclass
class Summary:
    """Counts over every result written."""

    documents: int = 0
    errors: int = 0
    duplicates_reused: int = 0
    words: int = 0
    findings_by_family: Counter[str] = field(default_factory=Counter)
    findings_by_severity: Counter[str] = field(default_factory=Counter)
    error_examples: list[str] = field(default_factory=list)
    failed_batches: list[dict[str, str]] = field(default_factory=list)

    def add(self, result: DocumentResult) -> None:
        self.documents += 1
        self.words += result["words"]
        self.duplicates_reused += result["duplicate_of"] is not None
        if result["error"] is not None:
            self.errors += 1
            if len(self.error_examples) < 10:
                self.error_examples.append(result["error"])
        for finding in result["findings"]:
            self.findings_by_family[finding["rule"].split(".")[0]] += 1  # jargon, dates, sections…
            self.findings_by_severity[finding["severity"]] += 1

    def as_dict(self, **extra: Any) -> dict[str, Any]:
        data = asdict(self)
        data["findings"] = sum(self.findings_by_family.values())
        for key in ("findings_by_family", "findings_by_severity"):
            data[key] = dict(getattr(self, key).most_common())
        order = ["documents", "errors", "duplicates_reused", "words", "findings", "findings_by_family"]
        return {**extra, **{key: data.pop(key) for key in order}, **data}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="a folder, a .jsonl manifest or a .parquet file (local or a URL)")
    parser.add_argument("--out", default="results.jsonl", help="JSON Lines results, one line per document")
    parser.add_argument(
        "--summary", default=None, help="where to write the summary (default: OUT.summary.json)"
    )
    parser.add_argument(
        "--config", default=None, help="a policylint.toml or pyproject.toml (default: defaults)"
    )
    parser.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="local cluster: worker processes"
    )
    parser.add_argument("--batch-size", type=int, default=100, help="folder input: files per batch")
    parser.add_argument("--block-size", type=int, default=4_000_000, help="JSON Lines input: bytes per batch")
    parser.add_argument("--retries", type=int, default=1, help="retries of a batch whose worker died")
    args = parser.parse_args(argv)

    config = (load_config_file(Path(args.config)) if args.config else None) or Config()
    if config.today is None:  # every worker measures staleness against the same day
        config.today = dt.date.today()
    config_json = config.model_dump_json()
    lint_batch([], config_json)  # an invalid config fails here, before any cluster starts

    started = time.perf_counter()
    batches = plan(args.input, args.batch_size, args.block_size)
    summary = Summary()
    with contextlib.ExitStack() as stack:
        if args.scheduler:
            client = stack.enter_context(Client(args.scheduler))
        else:  # one single-threaded process per core: policylint is CPU-bound Python
            cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None)
            client = stack.enter_context(Client(stack.enter_context(cluster)))
        workers = list(client.nthreads())  # worker addresses
        client.gather([client.submit(warm_up, config_json, workers=[w], pure=False) for w in workers])
        ready = time.perf_counter()

        futures = client.map(run_batch, batches, config=config_json, retries=args.retries, pure=False)
        batch_of = {future.key: batch for future, batch in zip(futures, batches, strict=True)}
        completed = as_completed(futures, with_results=True, raise_errors=False)
        del futures  # each batch's results leave the cluster's memory once written
        with open(args.out, "w", encoding="utf-8") as out:
            for future, value in completed:
                if future.status == "error":  # the whole batch failed: record it, go on with the rest
                    failure = {"batch": batch_of[future.key].describe(), "error": repr(value[1])}
                    summary.failed_batches.append(failure)
                    print(f"batch failed: {failure}", file=sys.stderr)
                    continue
                for result in value:
                    out.write(json.dumps(result, ensure_ascii=False) + "\n")
                    summary.add(result)
        elapsed = time.perf_counter() - ready

    timing = {
        "batches": len(batches),
        "workers": len(workers),
        "startup_seconds": round(ready - started, 2),
        "wall_seconds": round(elapsed, 2),
        "documents_per_second": round(summary.documents / elapsed, 1),
        "words_per_second": round(summary.words / elapsed),
    }
    report = {**summary.as_dict(input=args.input), **timing}
    summary_path = Path(args.summary or f"{args.out}.summary.json")
    summary_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 1 if summary.failed_batches else 0


if __name__ == "__main__":
    sys.exit(main())
