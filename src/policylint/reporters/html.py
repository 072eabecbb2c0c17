"""``--format html``: one self-contained page to read a run in a browser, share or print.

Policies are reviewed by people who do not read CI logs (legal, support, content owners), so
this format turns a report into a page they can open from an email attachment or a CI artefact:
a scorecard per document (profile, language, required sections, findings per family,
readability per section) and every finding with the offending text highlighted. The page makes
no network request (inline CSS and JS, no fonts or CDN) so it renders offline and leaks nothing,
and it is deterministic (no timestamps) so the same run always produces the same bytes.

Every piece of document text is untrusted input and goes through :func:`html.escape`; the page's
only markup comes from this module.

The filters (severity checkboxes, rule-family select) are plain JS that sets ``hidden`` on rows.
They read and write the URL fragment (``#severity=error,warning&family=jargon``), so a filtered
view can be linked, and a headless browser can be tested on one without driving the UI. The
readability limits shown are the rule packs' defaults: config overrides are not passed to
reporters, and the page says "default limit" for that reason.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TextIO

from ..checks.base import render_message
from ..findings import FileReport, Finding, Report, Severity
from ..packs import Catalog, LanguagePack
from ..readability import METRIC_LABELS, METRICS, score
from . import RenderOptions
from .excerpt import cut

#: Sections with fewer words are not scored: formulas swing wildly on a sentence or two.
MIN_SECTION_WORDS = 40
#: Excerpts of long source lines (minified HTML) are cut around the span to this many characters.
EXCERPT_WINDOW = 160
_OVER = ' class="over"'
_SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)

CSS = """
:root{--fg:#1b1b1b;--muted:#555;--line:#d0d4d9;--bg-alt:#f4f6f8;--err:#a4001d;--warn:#7a4d00;
--info:#00579e;--ok:#1a6b2f;--bar:#3b6ea8;--over:#b3261e;font-family:system-ui,-apple-system,
"Segoe UI",Roboto,sans-serif;color:var(--fg);line-height:1.45}
body{max-width:72rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{margin:.5rem 0}h2{margin-top:2.5rem;border-bottom:2px solid var(--line);padding-bottom:.25rem}
h3{margin:1.5rem 0 .5rem;font-size:1.05rem}
[hidden]{display:none!important}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--bg-alt);font-size:.9rem}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;color:var(--muted);font-size:.9rem;padding:.25rem 0}
.toolbar{position:sticky;top:0;z-index:1;background:#fff;border:1px solid var(--line);
border-radius:6px;padding:.5rem .75rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center}
.toolbar fieldset{border:0;margin:0;padding:0;display:flex;gap:.75rem;align-items:center}
.toolbar legend{float:left;font-weight:600;margin-right:.5rem}
.toolbar label{cursor:pointer}.toolbar p{margin:0;color:var(--muted);font-size:.9rem}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:0}
.facts div{background:var(--bg-alt);border-radius:6px;padding:.4rem .6rem}
.facts dt{font-size:.8rem;color:var(--muted)}.facts dd{margin:0;font-weight:600}
.sev{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.85rem;font-weight:600;color:#fff}
.sev-error{background:var(--err)}.sev-warning{background:var(--warn)}.sev-info{background:var(--info)}
.present,.missing{font-weight:600;white-space:nowrap}.present{color:var(--ok)}.missing{color:var(--err)}
.excerpt{margin:.3rem 0 0;padding:.3rem .5rem;background:var(--bg-alt);border-radius:4px;
white-space:pre-wrap;word-break:break-word;font-size:.85rem}
mark{background:#ffe066;color:inherit;text-decoration:underline;text-decoration-thickness:2px}
.suggestion{color:var(--ok);margin:.2rem 0 0}.where{color:var(--muted);font-size:.85rem}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(24rem,1fr));gap:0 2rem}
td.rule{white-space:nowrap;font-size:.85rem}.zero{color:#8a8f96}
.bar{position:relative;height:1rem;background:var(--bg-alt);border-radius:3px;min-width:8rem}
.fill{position:absolute;left:0;top:0;bottom:0;background:var(--bar);border-radius:3px}
tr.over .fill{background:var(--over)}
.limit{position:absolute;top:-.2rem;bottom:-.2rem;border-left:2px dashed var(--fg)}
.rule-doc{border-left:4px solid var(--line);padding:.1rem 1rem;margin:1rem 0}
.rule-doc:target{border-left-color:var(--bar);background:var(--bg-alt)}
a{color:#0b4f9c}
@media print{.toolbar,.hint{display:none}body{max-width:none;padding:0;font-size:10pt}
section.document{break-before:page}tr,.rule-doc{break-inside:avoid}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}a{color:inherit;text-decoration:none}}
"""

JS = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=severity]"));
  var family = document.getElementById("family-filter");
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-severity]"));
  var status = document.getElementById("filter-status");
  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var box = document.getElementById("sev-" + row.getAttribute("data-severity"));
      var ok = box.checked && (!family.value || row.getAttribute("data-family") === family.value);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("table.findings"), function (table) {
      var note = table.parentNode.querySelector(".filtered-out");
      if (note) { note.hidden = !!table.querySelector("tr[data-severity]:not([hidden])"); }
    });
    status.textContent = shown + " of " + rows.length + " findings shown";
  }
  function fromHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    if (!params.has("severity") && !params.has("family")) { return; }
    if (params.has("severity")) {
      var wanted = params.get("severity").split(",");
      boxes.forEach(function (b) { b.checked = wanted.indexOf(b.value) >= 0; });
    }
    family.value = params.get("family") || "";
    if (family.selectedIndex < 0) { family.value = ""; }
  }
  function toHash() {
    var sev = boxes.filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
    var hash = "#severity=" + sev.join(",") + (family.value ? "&family=" + family.value : "");
    try { window.history.replaceState(null, "", hash); } catch (e) { /* file:// may refuse */ }
  }
  function changed() { apply(); toHash(); }
  boxes.forEach(function (b) { b.addEventListener("change", changed); });
  family.addEventListener("change", changed);
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  fromHash();
  apply();
  document.getElementById("toolbar").hidden = false;  /* filters need this script: shown by it */
  document.getElementById("filter-hint").hidden = false;
  document.documentElement.setAttribute("data-ready", "true");
})();
"""


def _e(text: object) -> str:
    """Escape for element content and quoted attributes alike (quotes included)."""
    return html.escape(str(text), quote=True)


def _catalog(options: RenderOptions) -> Catalog:
    """The run's catalog (so user rule packs get their docs), else the built-in packs."""
    given = options.extra.get("catalog")
    if isinstance(given, Catalog):
        return given
    from ..config import Config
    from ..engine import catalog_for

    return catalog_for(Config())


def _families(catalog: Catalog, findings: Iterable[Finding]) -> list[str]:
    """Families that always run (not system, not regional, not opt-in) plus any that reported."""
    always = {
        s.family for s in catalog.rules.values() if s.kind != "system" and s.regions is None and s.enabled
    }
    return sorted(always | {f.rule.split(".", 1)[0] for f in findings})


def _excerpt(finding: Finding, lines: list[str] | None, fmt: str) -> str:
    """The source line as a reader sees it (no tags or Markdown markup) with the finding's span
    in <mark>, cut around the span when long."""
    if not lines or finding.line > len(lines):
        return ""
    line = lines[finding.line - 1]
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    shown = cut(line, fmt, finding.column - 1, end, before=40, window=EXCERPT_WINDOW)
    if shown is None:
        return ""
    marked = f"<mark>{_e(shown.marked)}</mark>" if shown.marked else ""
    body = f"{shown.lead}{_e(shown.before)}{marked}{_e(shown.after)}{shown.trail}"
    return f'<pre class="excerpt"><code>{body}</code></pre>'


def _section_limit(catalog: Catalog, pack: LanguagePack, metric: str) -> float | None:
    """The default per-section limit for ``metric``, as ``readability.section-grade`` applies it."""
    spec = catalog.rules.get("readability.section-grade")
    if spec is None:
        return None
    limits = {**spec.params.get("limits", {}), **pack.rules.get(spec.id, {}).get("limits", {})}
    value = limits.get(metric, spec.params.get("max_grade"))
    return float(value) if isinstance(value, (int, float)) else None


def _label(metric: str) -> str:
    """The metric as a reader knows it, capitalised to start a caption (the page is in English)."""
    label = METRIC_LABELS.get(metric, metric)
    return label[:1].upper() + label[1:]


def _readability(file: FileReport, source: str | None, catalog: Catalog) -> str:
    """Per-section scores as CSS bars in a table (readable without CSS and by screen readers)."""
    head = "<h3>Readability per section</h3>"
    pack = catalog.languages.get(file.language or "")
    if source is None or pack is None:
        why = "the source is not available" if source is None else "there is no language pack for it"
        return f'{head}<p class="note">Not measured: {_e(why)}.</p>'
    from ..parsers import parse

    try:
        document = parse(source, file.format, file.path)
    except Exception:  # the check itself already reported the parse error as a finding
        return f'{head}<p class="note">Not measured: the file could not be parsed.</p>'
    metric = pack.readability.metric
    scored = []
    for section in document.all_sections():
        text = section.body_text()
        if len(text.split()) >= MIN_SECTION_WORDS:
            title = section.title if section.level > 0 else "(before the first heading)"
            scored.append((title, section.line, score(text, metric, pack.code, pack.readability.hyphenation)))
    limit = _section_limit(catalog, pack, metric)
    harder = "higher is harder" if METRICS.get(metric, True) else "lower is harder"
    limit_text = f", default limit {limit:g}" if limit is not None else ""
    caption = (
        f"{_label(metric)} per section ({harder}{limit_text}, dashed line). "
        f"Sections under {MIN_SECTION_WORDS} words are not scored."
    )
    if not scored:
        return f'{head}<p class="note">{_e(caption)} No section is long enough to score.</p>'
    top = max([limit or 0.0, *(s.value for _, _, s in scored)]) * 1.15 or 1.0
    rows = []
    for title, line, result in scored:
        over = limit is not None and result.exceeds(limit)
        marker = f'<span class="limit" style="left:{100 * limit / top:.1f}%"></span>' if limit else ""
        rows.append(
            f'<tr{_OVER if over else ""}><th scope="row">{_e(title)}</th>'
            f'<td class="num">{line}</td><td><div class="bar" aria-hidden="true">'
            f'<span class="fill" style="width:{max(0.0, 100 * result.value / top):.1f}%"></span>{marker}'
            f'</div></td><td class="num">{result.value:g}{" (above limit)" if over else ""}</td></tr>'
        )
    return (
        f'{head}<table class="readability"><caption>{_e(caption)}</caption><thead><tr>'
        '<th scope="col">Section</th><th scope="col" class="num">Line</th><th scope="col">Chart</th>'
        f'<th scope="col" class="num">Score</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _requirements(file: FileReport, findings: list[Finding], catalog: Catalog) -> str:
    """Required kinds and parts of the file's profile: missing when a sections.missing-* rule said so."""
    head = "<h3>Required sections</h3>"
    profile = catalog.profiles.get(file.profile or "")
    if profile is None or not profile.requires:
        return f'{head}<p class="note">The profile requires no particular sections.</p>'
    pack = catalog.language(file.language)
    missing_kinds = {
        f.rule.removeprefix("sections.missing-") for f in findings if f.rule.startswith("sections.missing-")
    }
    part_messages = {f.message for f in findings if f.rule == "sections.missing-part"}
    part_spec = catalog.rules.get("sections.missing-part")
    # The message as the rule wrote it: the file's language pack translates it and the profile name.
    part_template = pack.rules.get("sections.missing-part", {}).get("message") or (
        part_spec.message if part_spec is not None else None
    )
    profile_label = pack.profile_label(file.profile or "", profile.label)
    found_in: dict[str, str] = {}
    for info in reversed(file.sections):  # the first section of a kind wins
        found_in[info.kind] = f"“{info.title}”, line {info.line}"
    rows = []
    present = 0
    for need in profile.requires:
        label = pack.kind_label(need)
        if isinstance(part_template, str):  # the exact message the rule writes for this part
            fields = {"part_label": label, "part": need, "profile": profile_label}
            missing = need in missing_kinds or render_message(part_template, fields) in part_messages
        else:
            missing = need in missing_kinds or any(label in message for message in part_messages)
        present += not missing
        status = (
            '<span class="missing">✗ missing</span>' if missing else '<span class="present">✓ present</span>'
        )
        where = (
            "" if missing or need not in found_in else f'<br><span class="where">{_e(found_in[need])}</span>'
        )
        rows.append(f'<tr><th scope="row">{_e(label)}</th><td>{status}{where}</td></tr>')
    return (
        f"{head}<table><caption>{present} of {len(profile.requires)} required by the "
        f'{_e(profile.label)} profile</caption><thead><tr><th scope="col">Required</th>'
        '<th scope="col">Status</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 or word == "info" else f"{count} {word}s"


def _count_cell(value: int) -> str:
    """A number cell; zeros are dimmed so the families that reported stand out."""
    return f'<td class="num{" zero" if value == 0 else ""}">{value}</td>'


def _family_table(findings: list[Finding], families: list[str]) -> str:
    counts = Counter((f.rule.split(".", 1)[0], f.severity) for f in findings)
    rows = []
    for family in families:
        values = [counts[(family, s)] for s in _SEVERITIES]
        cells = "".join(_count_cell(v) for v in [*values, sum(values)])
        rows.append(f'<tr><th scope="row">{_e(family)}</th>{cells}</tr>')
    heads = "".join(f'<th scope="col" class="num">{s.value}</th>' for s in _SEVERITIES)
    return (
        '<h3>Findings by family</h3><table class="families"><thead><tr><th scope="col">Family</th>'
        f'{heads}<th scope="col" class="num">total</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )


def _finding_rows(findings: list[Finding], lines: list[str] | None, fmt: str) -> str:
    if not findings:
        return "<h3>Findings</h3><p>No findings.</p>"
    rows = []
    for f in findings:
        where = f'<p class="where">in section “{_e(f.section)}”</p>' if f.section else ""
        suggestion = f'<p class="suggestion">Suggestion: {_e(f.suggestion)}</p>' if f.suggestion else ""
        rows.append(
            f'<tr data-severity="{f.severity.value}" data-family="{_e(f.rule.split(".", 1)[0])}">'
            f'<td class="num">{f.line}:{f.column}</td><td><span class="sev sev-{f.severity.value}">'
            f'{f.severity.value}</span></td><td class="rule"><a href="#rule-{_e(f.rule)}"><code>{_e(f.rule)}</code></a></td>'
            f"<td>{_e(f.message)}{where}{_excerpt(f, lines, fmt)}{suggestion}</td></tr>"
        )
    return (
        '<h3>Findings</h3><table class="findings"><thead><tr><th scope="col" class="num">Line</th>'
        '<th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Finding</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table><p class="filtered-out" hidden>The filters hide every '
        "finding of this document.</p>"
    )


def _scorecard(index: int, file: FileReport, findings: list[Finding], catalog: Catalog, ctx: _Context) -> str:
    source = ctx.source_of(file.path)
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n") if source is not None else None
    profile = catalog.profiles.get(file.profile or "")
    pack = catalog.languages.get(file.language or "")
    sev = Counter(f.severity for f in findings)
    facts = [
        ("Profile", f"{profile.label} ({file.profile})" if profile else file.profile or "—"),
        ("Language", f"{pack.language.name} ({pack.code})" if pack else file.language or "—"),
        ("Words", str(file.words)),
        ("Format", file.format),
        ("Sections found", str(len(file.sections))),
        ("Findings", ", ".join(_plural(sev[s], s.value) for s in _SEVERITIES)),
    ]
    dl = "".join(f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in facts)
    return (
        f'<section class="document" id="file-{index}" aria-labelledby="file-{index}-title">'
        f'<h2 id="file-{index}-title">{_e(file.path)}</h2><dl class="facts">{dl}</dl>'
        f'<div class="cols"><div>{_requirements(file, findings, catalog)}</div>'
        f"<div>{_family_table(findings, ctx.families)}</div></div>"
        f"{_readability(file, source, catalog)}{_finding_rows(findings, lines, file.format)}</section>"
    )


class _Context:
    """What every scorecard shares: the source reader and the run's family list."""

    def __init__(self, source_of: Callable[[str], str | None], families: list[str]) -> None:
        self.source_of = source_of
        self.families = families


def _rule_docs(rule_ids: list[str], catalog: Catalog) -> str:
    """The rules that reported, with rationale and source: what a finding's rule link points at."""
    if not rule_ids:
        return ""
    out = ['<section id="rules" aria-labelledby="rules-title"><h2 id="rules-title">Rules in this report</h2>']
    for rule_id in rule_ids:
        spec = catalog.rules.get(rule_id)
        out.append(f'<article class="rule-doc" id="rule-{_e(rule_id)}"><h3><code>{_e(rule_id)}</code></h3>')
        if spec is None:
            out.append("<p>This rule is not in the catalog of this run.</p></article>")
            continue
        out.append(
            f"<p><strong>{_e(spec.summary)}</strong> (default severity: {spec.severity.value})</p>"
            f"<p><strong>Why.</strong> {_e(' '.join(spec.rationale.split()))}</p>"
            f"<p><strong>Source.</strong> {_e(' '.join(spec.source.split()))}</p></article>"
        )
    out.append("</section>")
    return "".join(out)


def _toolbar(families: list[str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" id="sev-{s.value}" value="{s.value}" checked> '
        f"{s.value}</label>"
        for s in _SEVERITIES
    )
    options = "".join(f'<option value="{_e(f)}">{_e(f)}</option>' for f in families)
    return (
        '<div class="toolbar" id="toolbar" role="search" aria-label="Filter findings" hidden>'
        f"<fieldset><legend>Severity</legend>{boxes}</fieldset>"
        '<label for="family-filter">Rule family</label><select id="family-filter">'
        f'<option value="">all families</option>{options}</select>'
        '<p id="filter-status" aria-live="polite"></p></div>'
        '<p class="hint" id="filter-hint" hidden>Filters can be linked: add <code>#severity=error</code> or '
        "<code>#severity=error,warning&amp;family=jargon</code> to this page's address.</p>"
    )


def render_html(report: Report, options: RenderOptions) -> str:
    """The whole page as one string (what :func:`render` writes; handy for tests)."""
    catalog = _catalog(options)
    by_path: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_path.setdefault(finding.path, []).append(finding)
    files = {f.path: f for f in report.files}
    for path in by_path:  # an unreadable file may have findings but no file entry
        files.setdefault(path, FileReport(path=path, format="unknown"))
    ordered = [files[p] for p in sorted(files)]
    ctx = _Context(options.source_of, _families(catalog, report.findings))
    s = report.summary
    overview = "".join(
        f'<tr><th scope="row"><a href="#file-{i}">{_e(f.path)}</a></th>'
        + "".join(
            _count_cell(sum(1 for x in by_path.get(f.path, []) if x.severity is sev)) for sev in _SEVERITIES
        )
        + "</tr>"
        for i, f in enumerate(ordered, 1)
    )
    heads = "".join(f'<th scope="col" class="num">{sev.value}</th>' for sev in _SEVERITIES)
    cards = "".join(_scorecard(i, f, by_path.get(f.path, []), catalog, ctx) for i, f in enumerate(ordered, 1))
    families_found = sorted({f.rule.split(".", 1)[0] for f in report.findings})
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="policylint {_e(report.tool.version)}">'
        f"<title>policylint report</title><style>{CSS}</style></head>\n<body>"
        f"<header><h1>policylint report</h1><p>{_plural(s.files, 'file')} checked: "
        f"{_plural(s.error, 'error')}, {_plural(s.warning, 'warning')}, {s.info} info. policylint {_e(report.tool.version)}; its rules "
        "are guidance for clear policies, not legal advice.</p></header>"
        f"{_toolbar(families_found)}<main>"
        f'<h2>Documents</h2><table class="overview"><thead><tr><th scope="col">Document</th>{heads}'
        f"</tr></thead><tbody>{overview}</tbody></table>{cards}"
        f"{_rule_docs(sorted({f.rule for f in report.findings}), catalog)}</main>"
        f"<script>{JS}</script></body></html>\n"
    )


def render(report: Report, out: TextIO, options: RenderOptions) -> None:
    out.write(render_html(report, options))
