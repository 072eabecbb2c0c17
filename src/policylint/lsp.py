"""``policylint lsp``: a language server, so a policy being written shows its findings as it is typed.

It checks documents in this process with the library (the same path as ``policylint check``, with
the config that applies to the document's file), so spaCy's pipeline and the rules' matchers are
built once and stay warm between edits. Checks run one at a time on a worker thread: the event
loop keeps reading the client's messages, and a newer edit makes an older check's result moot
(it is then not published).

Positions: policylint counts 1-based lines and code points; LSP counts 0-based lines and, unless
the client agreed otherwise, UTF-16 code units, so a character outside the BMP (an emoji) is two
units. :func:`client_column` converts.

pygls is an optional extra (``policylint[lsp]``); only :func:`run` and :func:`build_server`
import it, so the helpers here stay importable without it.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ._version import __version__
from .document import LineIndex
from .findings import Finding, Severity

if TYPE_CHECKING:
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    from .config import Config
    from .packs import RuleSpec

#: The install extra that brings pygls.
LSP_EXTRA = "policylint[lsp]"

#: Seconds a change waits for the next keystroke before it is checked: short enough that fresh
#: diagnostics arrive within 300 ms of an edit to a 5,000-word policy (bench/lsp_bench.py).
DEBOUNCE_SECONDS = 0.075

#: Where the rule reference lives when the installed metadata names no documentation URL.
DEFAULT_DOCS_URL = "https://policylint.invalid/docs"

#: Editor language ids, for documents whose file name says nothing (an unsaved buffer).
_LANGUAGE_FORMATS = {"markdown": "markdown", "html": "html", "plaintext": "text"}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def missing_extra_message() -> str | None:
    """The one line ``policylint lsp`` prints when pygls is not installed, else ``None``."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        return f"policylint: `policylint lsp` needs the lsp extra: pip install '{LSP_EXTRA}'"
    return None


def run() -> int:
    """Serve over stdin/stdout until the client says exit; 2 without the extra."""
    message = missing_extra_message()
    if message is not None:
        print(message, file=sys.stderr)
        return 2
    build_server().start_io()
    return 0


# ---------------------------------------------------------------------------------------------
# Positions, fixes and docs: plain functions, testable without a client.


def client_column(line_text: str, column: int, encoding: str = "utf-16") -> int:
    """The 0-based LSP character offset of policylint's 1-based code-point ``column`` in a line,
    in the position encoding the client and server agreed (``utf-16`` unless they said otherwise)."""
    prefix = line_text[: max(column - 1, 0)]
    if encoding == "utf-32":
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8", "surrogatepass"))
    return len(prefix.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True)
class Span:
    """A finding's place in the text that was checked: code-point offsets and the LSP range."""

    start: int
    end: int
    range: tuple[tuple[int, int], tuple[int, int]]


def span_of(source: str, lines: LineIndex, finding: Finding, encoding: str = "utf-16") -> Span:
    """Where ``finding`` is in ``source`` (which ``lines`` indexes)."""

    def point(line: int, column: int) -> tuple[int, tuple[int, int]]:
        start = lines.line_start(line)
        text = source[start : lines.line_end(line, source)]
        column = min(column, len(text) + 1)
        return start + column - 1, (line - 1, client_column(text, column, encoding))

    start, first = point(finding.line, finding.column)
    end, last = point(finding.end_line, finding.end_column)
    return Span(start, max(start, end), (first, last))


def fixes(finding: Finding, original: str) -> list[tuple[str, str]]:
    """The quick fixes a finding's suggestion offers, as (title, replacement text) pairs.

    An ambiguous date's suggestion names both readings ("2026-03-04 or 2026-04-03", the "or" in
    the document's language): one fix per reading, each an ISO date nobody can misread. Any other
    suggestion replaces the finding's text, capitalised like it (a sentence starting "Herein")."""
    if not finding.suggestion:
        return []
    if finding.rule == "dates.ambiguous-numeric":
        readings = _ISO_DATE.findall(finding.suggestion)
        return [(f"Write {original} as {iso}", iso) for iso in dict.fromkeys(readings)]
    replacement = finding.suggestion
    if original[:1].isupper() and replacement[:1].islower():
        replacement = replacement[0].upper() + replacement[1:]
    if replacement == original:
        return []
    return [(f"Replace “{original}” with “{replacement}”", replacement)]


def docs_url() -> str:
    """The documentation site from the installed metadata (never the network)."""
    from .reporters.sarif import _information_uri

    return _information_uri().rstrip("/") or DEFAULT_DOCS_URL


def rule_href(rule_id: str, base: str) -> str:
    """The rule's entry in docs/rules.md: MkDocs drops the dots from a heading's anchor."""
    return f"{base}/rules/#{rule_id.replace('.', '')}"


def explain_markdown(spec: RuleSpec, href: str) -> str:
    """What hovering over a finding shows: what ``policylint explain`` says, in Markdown."""
    return (
        f"**{spec.id}** ({spec.severity.value})\n\n{spec.summary}\n\n"
        f"**Why.** {' '.join(spec.rationale.split())}\n\n"
        f"**Source.** {' '.join(spec.source.split())}\n\n[Rule reference]({href})"
    )


def document_format(path: Path | None, language_id: str | None) -> str | None:
    """The format to parse a document as; ``None`` for one policylint does not read as text."""
    from .parsers import BINARY_FORMATS, format_for_path

    fmt = format_for_path(str(path)) if path is not None else None
    if fmt is None:
        fmt = _LANGUAGE_FORMATS.get(language_id or "", "text")
    return None if fmt in BINARY_FORMATS else fmt


# ---------------------------------------------------------------------------------------------
# The warm engine.


@dataclass
class Checked:
    """One check of one document: the text checked and its findings, each with its span."""

    source: str
    findings: list[tuple[Finding, Span]]
    error: str | None = None


@dataclass
class Engine:
    """Checks documents in this process, reading the config that applies to each file afresh
    (a config edited in the editor applies at the next check); validated configs are remembered."""

    root: Path | None = None
    _valid: set[str] = field(default_factory=set)

    def config_for(self, path: Path | None) -> Config:
        from .config import ConfigResolver
        from .engine import validate_config

        resolver = ConfigResolver()
        config = resolver.for_path(path) if path is not None else resolver.for_directory(self._cwd())
        key = config.model_dump_json()
        if key not in self._valid:
            validate_config(config)
            self._valid.add(key)
        return config

    def _cwd(self) -> Path:
        return (self.root or Path.cwd()).resolve()

    def shown_path(self, path: Path | None, config: Config) -> str:
        """The path findings carry: relative to the config's folder (or the workspace), as on the
        command line, so ``per_file_ignores`` and profile globs match as they do there."""
        if path is None:
            return "<untitled>"
        base = config.source.parent if config.source is not None else self._cwd()
        relative = os.path.relpath(path, base)
        return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()

    def check(self, source: str, path: Path | None, fmt: str, encoding: str) -> Checked:
        """Check ``source`` as the file at ``path`` would be; a config or pack error becomes the
        check's ``error`` (shown to the user) instead of ending the server."""
        from .api import check_text
        from .errors import PolicylintError

        try:
            config = self.config_for(path)
        except PolicylintError as exc:
            return Checked(source, [], str(exc))
        report = check_text(source, fmt, config, path=self.shown_path(path, config))
        lines = LineIndex(source)
        return Checked(source, [(f, span_of(source, lines, f, encoding)) for f in report.findings])

    def spec(self, rule_id: str, path: Path | None) -> RuleSpec | None:
        from .engine import catalog_for
        from .errors import PolicylintError

        try:
            return catalog_for(self.config_for(path)).rules.get(rule_id)
        except PolicylintError:
            return None

    def warm_up(self) -> None:
        """Check every rule's examples once, so the first real edit finds spaCy's pipeline, the
        lemma tables and every rule's matchers built."""
        from .api import check_text
        from .engine import catalog_for

        config = self.config_for(None)
        examples = [f"{s.example.bad}\n\n{s.example.good}" for s in catalog_for(config).rules.values()]
        check_text("\n\n".join(examples), "markdown", config, path="<warm-up>")


# ---------------------------------------------------------------------------------------------
# The server.

_SEVERITIES = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}  # LSP DiagnosticSeverity


def _encoding(ls: LanguageServer) -> str:
    return str(ls.workspace.position_encoding or "utf-16")


def _path(uri: str) -> Path | None:
    from pygls.uris import to_fs_path

    fs = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(fs) if fs else None


def _range(span: Span) -> types.Range:
    from lsprotocol import types

    (line, char), (end_line, end_char) = span.range
    return types.Range(types.Position(line, char), types.Position(end_line, end_char))


def diagnostic(finding: Finding, span: Span, base: str) -> types.Diagnostic:
    """The LSP diagnostic of one finding."""
    from lsprotocol import types

    return types.Diagnostic(
        range=_range(span),
        message=finding.message if not finding.suggestion else f"{finding.message} ({finding.suggestion})",
        severity=types.DiagnosticSeverity(_SEVERITIES[finding.severity]),
        code=finding.rule,
        code_description=types.CodeDescription(href=rule_href(finding.rule, base)),
        source="policylint",
    )


@dataclass
class _Open:
    """What the server last published for a document, and the check waiting to run."""

    checked: Checked | None = None
    diagnostics: list[types.Diagnostic] = field(default_factory=list)
    pending: asyncio.Task[None] | None = None


class PolicyServer:
    """The server's state and handlers, kept apart from pygls's object so they are typed."""

    def __init__(self, ls: LanguageServer) -> None:
        self.ls = ls
        self.engine = Engine()
        self.docs: dict[str, _Open] = {}
        self.base = docs_url()
        # One thread: spaCy is not shared across threads, and checks are CPU-bound anyway.
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="policylint-check")
        self.warm: asyncio.Future[None] | None = None

    def start_warm_up(self) -> None:
        root = self.ls.workspace.root_path
        self.engine.root = Path(root) if root else None
        self.warm = asyncio.get_running_loop().run_in_executor(self.executor, self.engine.warm_up)

    def schedule(self, uri: str, delay: float) -> None:
        """Check ``uri`` after ``delay`` seconds, replacing a check still waiting for it."""
        state = self.docs.setdefault(uri, _Open())
        if state.pending is not None:
            state.pending.cancel()
        state.pending = asyncio.get_running_loop().create_task(self._check(uri, delay))

    async def _check(self, uri: str, delay: float) -> None:
        from lsprotocol import types

        if delay:
            await asyncio.sleep(delay)
        doc = self.ls.workspace.get_text_document(uri)
        source, version, path = doc.source, doc.version, _path(uri)
        fmt = document_format(path, doc.language_id)
        if fmt is None:
            return
        loop = asyncio.get_running_loop()
        checked = await loop.run_in_executor(
            self.executor, self.engine.check, source, path, fmt, _encoding(self.ls)
        )
        state = self.docs.get(uri)
        if state is None or self.ls.workspace.get_text_document(uri).version != version:
            return  # closed, or edited since: a newer check is on its way
        if checked.error is not None:
            self.ls.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Error, message=f"policylint: {checked.error}")
            )
        state.checked = checked
        state.diagnostics = [diagnostic(f, span, self.base) for f, span in checked.findings]
        self.ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, version=version, diagnostics=state.diagnostics)
        )

    def close(self, uri: str) -> None:
        from lsprotocol import types

        state = self.docs.pop(uri, None)
        if state is not None and state.pending is not None:
            state.pending.cancel()
        self.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _entries(self, uri: str) -> list[tuple[Finding, Span, types.Diagnostic]]:
        state = self.docs.get(uri)
        if state is None or state.checked is None:
            return []
        return [(f, s, d) for (f, s), d in zip(state.checked.findings, state.diagnostics, strict=True)]

    def code_actions(self, uri: str, wanted: types.Range) -> list[types.CodeAction]:
        """Quick fixes for the findings in ``wanted`` whose text is still what was checked (an
        edit since then would make a replacement land on the wrong words)."""
        from lsprotocol import types

        state = self.docs.get(uri)
        if state is None or state.checked is None:
            return []
        checked_source = state.checked.source
        current = self.ls.workspace.get_text_document(uri).source
        actions: list[types.CodeAction] = []
        for finding, span, diag in self._entries(uri):
            original = checked_source[span.start : span.end]
            if not _overlaps(diag.range, wanted) or current[span.start : span.end] != original:
                continue
            choices = fixes(finding, original)
            for title, replacement in choices:
                edit = types.TextEdit(range=diag.range, new_text=replacement)
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        edit=types.WorkspaceEdit(changes={uri: [edit]}),
                        is_preferred=len(choices) == 1,
                    )
                )
        return actions

    def hover(self, uri: str, position: types.Position) -> types.Hover | None:
        """The explanation of each rule with a finding under ``position``."""
        from lsprotocol import types

        parts: dict[str, str] = {}
        for finding, _span, diag in self._entries(uri):
            if finding.rule in parts or not _contains(diag.range, position):
                continue
            spec = self.engine.spec(finding.rule, _path(uri))
            href = rule_href(finding.rule, self.base)
            parts[finding.rule] = (
                explain_markdown(spec, href) if spec else f"**{finding.rule}**: {finding.message}"
            )
        if not parts:
            return None
        content = types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts.values())
        )
        return types.Hover(contents=content)


def _key(position: types.Position) -> tuple[int, int]:
    return position.line, position.character


def _contains(span: types.Range, position: types.Position) -> bool:
    return _key(span.start) <= _key(position) <= _key(span.end)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    return _key(a.start) <= _key(b.end) and _key(b.start) <= _key(a.end)


def build_server() -> LanguageServer:
    """The language server with its handlers registered (pygls imported here, not at import)."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    ls = LanguageServer(
        "policylint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
    )
    server = PolicyServer(ls)

    @ls.feature(types.INITIALIZED)
    def initialized(_params: types.InitializedParams) -> None:
        server.start_warm_up()

    @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @ls.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(params: types.DidSaveTextDocumentParams) -> None:
        server.schedule(params.text_document.uri, 0)

    @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(params: types.DidCloseTextDocumentParams) -> None:
        server.close(params.text_document.uri)

    @ls.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
        return server.code_actions(params.text_document.uri, params.range)

    @ls.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        return server.hover(params.text_document.uri, params.position)

    return ls
