"""``policylint lsp`` over stdio, driven by pygls's own LSP client: a real server process, real
documents, real code actions applied to the text."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from policylint.findings import Finding
from policylint.lsp import client_column, fixes

pytest.importorskip("pygls")

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

# The emoji is two UTF-16 code units: "herein" starts at code point 23 (0-based) but character 24.
RETURNS = (
    "# Returns policy\n\n"
    "😀 You may return items herein within 30 days. Herein we explain refunds. "
    "The offer ended on 03/04/2026.\n"
)
SUPPRESSED = (
    "# Returns policy\n\n"
    "<!-- policylint-disable-next-line jargon.legalese -->\n"
    "You may return items herein within 30 days.\n"
)
TIMEOUT = 120.0  # the first check loads spaCy; CI machines are slow


class Session:
    """A client talking to ``python -m policylint lsp``, collecting what it publishes."""

    def __init__(self) -> None:
        self.client = LanguageClient("policylint-tests", "1")
        self.published: list[types.PublishDiagnosticsParams] = []
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.published.append(params)
            self.arrived.set()

    async def diagnostics(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics published for ``uri`` at ``version`` (waiting for them)."""

        async def wait() -> list[types.Diagnostic]:
            while True:
                for params in self.published:
                    if params.uri == uri and params.version == version:
                        self.published.remove(params)
                        return list(params.diagnostics)
                self.arrived.clear()
                await self.arrived.wait()

        return await asyncio.wait_for(wait(), TIMEOUT)

    def open(self, uri: str, text: str) -> None:
        item = types.TextDocumentItem(uri=uri, language_id="markdown", version=1, text=text)
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=item))

    def change(self, uri: str, version: int, text: str) -> None:
        doc = types.VersionedTextDocumentIdentifier(uri=uri, version=version)
        whole = types.TextDocumentContentChangeWholeDocument(text=text)
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(text_document=doc, content_changes=[whole])
        )


def run_session(root: Path, body: Callable[[Session], Awaitable[None]]) -> None:
    """Start the server in ``root``, initialise, run ``body``, shut down cleanly."""

    async def main() -> None:
        session = Session()
        await session.client.start_io(sys.executable, "-m", "policylint", "lsp", cwd=str(root))
        try:
            await asyncio.wait_for(
                session.client.initialize_async(
                    types.InitializeParams(
                        capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(root))
                    )
                ),
                TIMEOUT,
            )
            session.client.initialized(types.InitializedParams())
            await body(session)
            await asyncio.wait_for(session.client.shutdown_async(None), TIMEOUT)
            session.client.exit(None)
        finally:
            server = getattr(session.client, "_server", None)  # a failed test must not wait for it
            if server is not None and server.returncode is None:
                server.kill()
            await asyncio.wait_for(session.client.stop(), TIMEOUT)

    asyncio.run(main())


def apply(text: str, edit: types.TextEdit) -> str:
    """Apply an LSP edit (UTF-16 positions) to ``text``, as an editor would."""
    lines = text.split("\n")

    def offset(position: types.Position) -> int:
        line = lines[position.line]
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return sum(len(x) + 1 for x in lines[: position.line]) + index
            units += 2 if ord(char) > 0xFFFF else 1
        return sum(len(x) + 1 for x in lines[: position.line]) + len(line)

    return text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end) :]


def _codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return [str(d.code) for d in diagnostics]


def test_diagnostics_fixes_and_hover_over_stdio(tmp_path: Path) -> None:
    # The workspace config turns off the section rules, which a bare `policylint check` reports here.
    (tmp_path / "policylint.toml").write_text('ignore = ["sections", "dates.missing-effective-date"]\n')
    returns = tmp_path / "returns.md"
    returns.write_text(RETURNS, encoding="utf-8")
    quiet = tmp_path / "quiet.md"
    quiet.write_text(SUPPRESSED, encoding="utf-8")
    uri, quiet_uri = from_fs_path(str(returns)), from_fs_path(str(quiet))
    assert uri is not None and quiet_uri is not None

    async def body(session: Session) -> None:
        session.open(uri, RETURNS)
        found = await session.diagnostics(uri, 1)
        assert sorted(_codes(found)) == ["dates.ambiguous-numeric", "jargon.legalese", "jargon.legalese"]
        herein = next(d for d in found if d.code == "jargon.legalese")
        assert (herein.range.start.line, herein.range.start.character) == (2, 24)
        assert (herein.range.end.line, herein.range.end.character) == (2, 30)
        assert herein.severity == types.DiagnosticSeverity.Warning
        assert herein.source == "policylint"
        assert herein.code_description is not None
        assert herein.code_description.href.endswith("/rules/#jargonlegalese")

        ident = types.TextDocumentIdentifier(uri=uri)
        context = types.CodeActionContext(diagnostics=found)
        actions = await asyncio.wait_for(
            session.client.text_document_code_action_async(
                types.CodeActionParams(text_document=ident, range=herein.range, context=context)
            ),
            TIMEOUT,
        )
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, types.CodeAction) and action.kind == types.CodeActionKind.QuickFix
        assert action.edit is not None and action.edit.changes is not None
        edited = apply(RETURNS, action.edit.changes[uri][0])
        assert "return items in this document within" in edited

        date = next(d for d in found if d.code == "dates.ambiguous-numeric")
        readings = await session.client.text_document_code_action_async(
            types.CodeActionParams(text_document=ident, range=date.range, context=context)
        )
        assert readings is not None
        picks = [
            apply(RETURNS, a.edit.changes[uri][0])
            for a in readings
            if isinstance(a, types.CodeAction) and a.edit and a.edit.changes
        ]
        assert sorted(p.rsplit("ended on ", 1)[1] for p in picks) == ["2026-03-04.\n", "2026-04-03.\n"]

        session.change(uri, 2, edited)
        after = await session.diagnostics(uri, 2)
        assert sorted(_codes(after)) == ["dates.ambiguous-numeric", "jargon.legalese"]
        remaining = next(d for d in after if d.code == "jargon.legalese")
        assert remaining.range.start.character > herein.range.start.character  # the second "Herein"

        hover = await session.client.text_document_hover_async(
            types.HoverParams(text_document=ident, position=remaining.range.start)
        )
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert "jargon.legalese" in hover.contents.value and "**Why.**" in hover.contents.value
        nothing = await session.client.text_document_hover_async(
            types.HoverParams(text_document=ident, position=types.Position(0, 0))
        )
        assert nothing is None

        session.client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=ident))
        assert sorted(_codes(await session.diagnostics(uri, 2))) == sorted(_codes(after))

        session.open(quiet_uri, SUPPRESSED)  # the inline comment silences the jargon finding
        assert "jargon.legalese" not in _codes(await session.diagnostics(quiet_uri, 1))

    run_session(tmp_path, body)


def test_without_the_extra_it_names_it_and_exits_2() -> None:
    blocked = (
        "import sys; sys.modules['pygls'] = None; from policylint.cli import main; sys.exit(main(['lsp']))"
    )
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "policylint: `policylint lsp` needs the lsp extra: pip install 'policylint[lsp]'"
    ]


def _finding(rule: str, suggestion: str | None) -> Finding:
    return Finding(
        rule=rule,
        severity="warning",
        message="m",
        path="p",
        line=1,
        column=1,
        end_line=1,
        end_column=2,
        suggestion=suggestion,
    )


def test_columns_count_utf16_units_beyond_the_bmp() -> None:
    line = "😀 a 𝔘x"
    assert [client_column(line, c) for c in (1, 2, 5, 6, 7)] == [0, 2, 5, 7, 8]
    assert client_column(line, 6, "utf-32") == 5
    assert client_column(line, 2, "utf-8") == 4


def test_fixes_keep_the_capital_and_offer_each_date_reading() -> None:
    assert fixes(_finding("jargon.legalese", "in this policy"), "Herein") == [
        ("Replace “Herein” with “In this policy”", "In this policy")
    ]
    dates = fixes(_finding("dates.ambiguous-numeric", "2026-03-04 eller 2026-04-03"), "03/04/2026")
    assert [r for _, r in dates] == ["2026-03-04", "2026-04-03"]
    assert fixes(_finding("jargon.legalese", None), "herein") == []
