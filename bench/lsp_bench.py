"""Time from didChange to publishDiagnostics in ``policylint lsp`` for a 5,000-word policy, once warm.

    python bench/lsp_bench.py [--runs 10]

The policy is the bundled examples/needs-work/*.md joined until 5,000 words. Each run edits one
word (a full-document change, as the simplest clients send) and waits for that version's
diagnostics; the figure includes the server's debounce (policylint.lsp.DEBOUNCE_SECONDS).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

ROOT = Path(__file__).resolve().parent.parent


def policy(words: int = 5000) -> str:
    parts: list[str] = []
    count = 0
    while count < words:
        for path in sorted((ROOT / "examples" / "needs-work").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            parts.append(text)
            count += len(text.split())
            if count >= words:
                break
    return "\n\n".join(parts)


async def bench(runs: int) -> list[float]:
    client = LanguageClient("lsp-bench", "1")
    seen: dict[int, float] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on(params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            seen[params.version] = time.perf_counter()
            arrived.set()

    async def wait(version: int) -> float:
        while version not in seen:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 300)
        return seen[version]

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "policy.md"
        text = policy()
        path.write_text(text, encoding="utf-8")
        uri = from_fs_path(str(path))
        assert uri is not None
        await client.start_io(sys.executable, "-m", "policylint", "lsp", cwd=tmp)
        await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities()))
        client.initialized(types.InitializedParams())
        item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))
        await wait(1)
        times: list[float] = []
        for run in range(runs):
            version = run + 2
            text = text + f"\n\nEdit number {run}."
            doc = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
            change = types.TextDocumentContentChangeWholeDocument(text=text)
            sent = time.perf_counter()
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(text_document=doc, content_changes=[change])
            )
            times.append(await wait(version) - sent)
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
    print(
        f"{len(text.split())} words; didChange -> publishDiagnostics over {runs} edits: "
        f"median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"
    )
    return times


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    asyncio.run(bench(parser.parse_args().runs))
