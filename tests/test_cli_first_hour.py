"""The first hour with the command line (issue 17): settings and paths that used to fail silently
now stop the run with exit code 2 and a message naming what is wrong and what would be right."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from policylint.cli import main

POLICY = "# Privacy policy\n\nWe collect your email address to answer your questions.\n"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    out = io.StringIO()
    code = main([*args, "--no-cache"] if args and args[0] == "check" else args, out)
    return code, out.getvalue(), capsys.readouterr().err


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "privacy.md"
    path.write_text(POLICY, encoding="utf-8")
    return path


def test_language_option_naming_no_pack_is_exit_2_with_a_suggestion(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["check", str(policy), "--language", "english"], capsys)
    assert code == 2
    assert "--language 'english'" in err and "da, de, en, et, hr, nb" in err
    assert "Did you mean: en (English)?" in err


def test_language_key_naming_no_pack_is_exit_2_naming_the_file(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = policy.parent / "policylint.toml"
    config.write_text('language = "englsh"\n', encoding="utf-8")
    code, _, err = _run(["check", str(policy)], capsys)
    assert code == 2
    assert str(config) in err and "`language` 'englsh'" in err and "Did you mean: en (English)?" in err
    config.write_text('default_language = "dansk"\n', encoding="utf-8")
    code, _, err = _run(["check", str(policy)], capsys)
    assert code == 2 and "`default_language` 'dansk'" in err


def test_a_language_added_by_a_user_pack_is_accepted(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = policy.parent / "packs" / "fr.toml"
    pack.parent.mkdir()
    pack.write_text('[language]\ncode = "fr"\nname = "French"\nspacy = "fr"\n', encoding="utf-8")
    (policy.parent / "policylint.toml").write_text('rule_paths = ["packs"]\n', encoding="utf-8")
    code, _, err = _run(["check", str(policy), "--language", "fr"], capsys)
    assert code in (0, 1), err
    code, _, err = _run(["check", str(policy), "--language", "french"], capsys)
    assert code == 2 and "Did you mean: fr (French)?" in err


def test_an_empty_folder_warns_and_fail_on_empty_makes_it_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "polices"
    empty.mkdir()
    (empty / "notes.py").write_text("x = 1\n", encoding="utf-8")
    code, _, err = _run(["check", str(empty)], capsys)
    assert code == 0
    assert f"no policy files found under {empty}" in err
    code, _, err = _run(["check", str(empty), "--fail-on-empty"], capsys)
    assert code == 2 and "nothing was checked" in err
    (tmp_path / "policylint.toml").write_text("fail_on_empty = true\n", encoding="utf-8")
    code, _, err = _run(["check", str(empty)], capsys)
    assert code == 2 and f"no policy files found under {empty}" in err


def test_fail_on_empty_passes_when_another_path_has_policies(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = policy.parent / "drafts"
    empty.mkdir()
    code, _, err = _run(["check", str(policy), str(empty), "--fail-on-empty", "--fail-on", "never"], capsys)
    assert code == 0 and f"no policy files found under {empty}" in err


def test_a_path_that_does_not_exist_is_exit_2_naming_it(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = policy.parent / "polices"
    code, out, err = _run(["check", str(policy), str(missing)], capsys)
    assert code == 2 and out == ""
    assert f"no such file or folder: {missing}" in err


def test_an_unwritable_output_path_is_one_line_and_exit_2(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = policy.parent / "no-such-folder" / "report.html"
    code, _, err = _run(["check", str(policy), "--format", "html", "-o", str(target)], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        f"policylint: error: cannot write the report to {target}: No such file or directory"
    ]


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{policy}", "--format", "sarif"],
        ["check", "{policy}", "--format", "github"],
        ["explain", "dates.vague-time"],
    ],
)
def test_a_reader_that_closes_early_ends_the_run_quietly(policy: Path, args: list[str]) -> None:
    command = [sys.executable, "-m", "policylint.cli", *(a.format(policy=policy) for a in args), "--no-cache"]
    if args[0] == "explain":
        command.pop()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before anything was written, as `| head -c 0`
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 141
    assert err == ""


MIXED = """# Privacy policy

Last updated: 3 April 2026

## What we collect

We collect your name and email address to deliver your orders and answer your questions. We keep
them for as long as you have an account with us, and we never sell them to anyone. You can ask us
to see, correct or delete the information we hold about you at any time, and we will answer you.

## Contact us

Email help@shop.example or call +1 503 555 0142.

## Til danske kunder

Vi indsamler dit navn og din e-mailadresse for at levere dine ordrer og besvare dine spørgsmål.
Du kan altid kontakte os, hvis du har spørgsmål om, hvordan vi behandler dine oplysninger.
"""


def test_load_document_gives_the_kinds_and_languages_outline_shows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from policylint import load_document

    path = tmp_path / "privacy.md"
    path.write_text(MIXED, encoding="utf-8")
    code, out, _ = _run(["outline", str(path), "--format", "json"], capsys)
    assert code == 0

    def flat(nodes: list[dict[str, object]]) -> list[tuple[object, ...]]:
        rows: list[tuple[object, ...]] = []
        for n in nodes:
            rows.append((n["title"], n["kind"], n["language"]))
            rows.extend(flat(n["children"]))  # type: ignore[arg-type]
        return rows

    shown = json.loads(out)
    document = load_document(path)
    loaded = [(s.title, s.kind, s.language) for s in document.sections()]
    assert loaded == flat(shown["sections"])
    assert document.language == shown["language"] == "en"
    assert {kind for _, kind, _ in loaded} >= {"privacy", "contact"}


def test_init_refuses_to_shadow_a_pyproject_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[project]\nname = "shop"\n\n[tool.policylint]\nregions = ["eu"]\n', encoding="utf-8"
    )
    code, out, err = _run(["init", "--dir", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert str(pyproject) in err and "it sets regions" in err and "--force" in err and "--no-config" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pyproject.toml"]

    code, out, _ = _run(["init", "--dir", str(tmp_path), "--no-config"], capsys)
    assert code == 0 and not (tmp_path / "policylint.toml").exists()
    assert (tmp_path / "customer-service.md").is_file()

    code, out, _ = _run(["init", "--dir", str(tmp_path), "--force"], capsys)
    assert code == 0 and (tmp_path / "policylint.toml").is_file()
    assert f"now takes precedence over {pyproject}" in out


def test_init_refuses_to_shadow_a_parent_folders_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "policylint.toml").write_text('regions = ["us"]\n', encoding="utf-8")
    code, _, err = _run(["init", "--dir", str(tmp_path / "legal")], capsys)
    assert code == 2 and str(tmp_path / "policylint.toml") in err
    code, out, _ = _run(["init", "--dir", str(tmp_path)], capsys)  # its own file: kept, as before
    assert code == 0 and f"kept {tmp_path / 'policylint.toml'}" in out


def test_a_params_typo_in_the_config_names_the_users_file(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = policy.parent / "policylint.toml"
    config.write_text('[params."readability.long-sentence"]\nmax_wrds = 30\n', encoding="utf-8")
    code, _, err = _run(["check", str(policy)], capsys)
    assert code == 2
    assert err.startswith(f"policylint: {config}: ") and "rules/lang" not in err
    assert "max_wrds: unknown parameter. Did you mean: max_words?" in err


def test_a_params_typo_in_a_user_language_pack_names_that_pack(
    policy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pack = policy.parent / "packs" / "en-extra.toml"
    pack.parent.mkdir()
    pack.write_text(
        '[language]\ncode = "en"\nname = "English"\nspacy = "en"\n\n[rules."dates.vague-time"]\nphrasez = ["anon"]\n',
        encoding="utf-8",
    )
    (policy.parent / "policylint.toml").write_text('rule_paths = ["packs"]\n', encoding="utf-8")
    code, _, err = _run(["check", str(policy)], capsys)
    assert code == 2
    assert err.startswith(f"policylint: {pack}: rule 'dates.vague-time'")
    assert "Did you mean: phrases?" in err


@pytest.mark.parametrize(
    ("config", "args", "named"),
    [
        ('ignore = ["jargon.legalise"]\n', [], "`ignore` names 'jargon.legalise'"),
        ('select = ["dates.vague-tme"]\n', [], "`select` names 'dates.vague-tme'"),
        ('[severity]\n"jargon.legalise" = "info"\n', [], "`severity` names 'jargon.legalise'"),
        ('[per_file_ignores]\n"*.md" = ["jargon.legalise"]\n', [], "names 'jargon.legalise'"),
        ("", ["--select", "jargon.legalise"], "`--select` names 'jargon.legalise'"),
        ("", ["--ignore", "jargon.legalise"], "`--ignore` names 'jargon.legalise'"),
    ],
)
def test_unknown_rule_ids_get_a_did_you_mean(
    policy: Path, capsys: pytest.CaptureFixture[str], config: str, args: list[str], named: str
) -> None:
    (policy.parent / "policylint.toml").write_text(config, encoding="utf-8")
    code, _, err = _run(["check", str(policy), *args], capsys)
    assert code == 2 and named in err
    assert "Did you mean: jargon.legalese" in err or "Did you mean: dates.vague-time" in err
    if args:
        assert "policylint.toml" not in err  # the option is at fault, not the file


DIRECTIVES = """# Privacy policy

<!-- policylint-disable-next-line jargon.legalse -->
We will answer you forthwith.

<!-- policylint-disable-next-line jargon.legalese -->
We will answer you within two days.

<!-- policylint-disable-next-line jargon.legalese -->
We will answer you forthwith, as the Act says.

<!-- policylint-disable-next-line readability -->
We answer.
"""


def _json_findings(args: list[str], capsys: pytest.CaptureFixture[str]) -> list[tuple[str, int, str]]:
    import json

    code, out, err = _run([*args, "--format", "json", "--fail-on", "never"], capsys)
    assert code == 0, err
    return [(f["rule"], f["line"], f["message"]) for f in json.loads(out)["findings"]]


def test_an_unknown_rule_in_a_directive_is_reported_with_a_did_you_mean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "privacy.md"
    path.write_text(DIRECTIVES, encoding="utf-8")
    found = _json_findings(["check", str(path)], capsys)
    unknown = [f for f in found if f[0] == "suppression.unknown-rule"]
    assert [(rule, line) for rule, line, _ in unknown] == [("suppression.unknown-rule", 3)]
    assert "'jargon.legalse'" in unknown[0][2] and "Did you mean: jargon.legalese" in unknown[0][2]
    assert not any(rule == "suppression.unused" for rule, *_ in found)  # opt-in
    assert ("jargon.legalese", 10) not in [(rule, line) for rule, line, _ in found]  # still silenced


def test_report_unused_disables_reports_directives_that_silence_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "privacy.md"
    path.write_text(DIRECTIVES, encoding="utf-8")
    found = _json_findings(["check", str(path), "--report-unused-disables"], capsys)
    unused = [(line, message) for rule, line, message in found if rule == "suppression.unused"]
    assert [line for line, _ in unused] == [6, 12]  # line 9 silenced a finding; line 3 is a typo
    assert "`policylint-disable-next-line jargon.legalese` silences no finding" in unused[0][1]
    # A rule that did not run cannot show whether its directive is needed.
    found = _json_findings(["check", str(path), "--report-unused-disables", "--select", "dates"], capsys)
    assert not any(rule == "suppression.unused" for rule, *_ in found)
    (tmp_path / "policylint.toml").write_text("report_unused_disables = true\n", encoding="utf-8")
    found = _json_findings(["check", str(path)], capsys)
    assert [line for rule, line, _ in found if rule == "suppression.unused"] == [6, 12]


def test_explain_suppression_unused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["explain", "suppression.unused"], capsys)
    assert code == 0 and "--report-unused-disables" in out and "Bad:" in out and "Good:" in out


NEEDS_WORK = Path(__file__).resolve().parents[1] / "examples" / "needs-work" / "service-policy.md"


def test_statistics_is_a_table_instead_of_the_findings(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["check", str(NEEDS_WORK), "--statistics"], capsys)
    assert code == 1  # the exit code still reports the findings
    header, *rows = out.splitlines()
    assert header.split() == ["count", "rule", "severity", "summary"]
    assert rows and all(row.split()[0].isdigit() for row in rows)
    legalese = next(row for row in rows if " jargon.legalese " in row)
    assert "warning" in legalese and "Legalese" in legalese
    assert "checked" not in out and "  [jargon.legalese]" not in out  # no findings, no summary line


def test_statistics_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = _run(["check", str(NEEDS_WORK), "--statistics", "--format", "json"], capsys)
    rows = json.loads(out)
    assert code == 1 and rows and set(rows[0]) == {"count", "rule", "severity", "summary"}
    assert [r["count"] for r in rows] == sorted((r["count"] for r in rows), reverse=True)
    code, _, err = _run(["check", str(NEEDS_WORK), "--statistics", "--format", "sarif"], capsys)
    assert code == 2 and "--statistics" in err


def test_quiet_prints_the_findings_without_the_summary_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["check", str(NEEDS_WORK), "--quiet"], capsys)
    assert code == 1 and "[jargon.legalese]" in out
    assert "checked" not in out and err == ""


def test_a_report_written_to_a_file_is_summed_up_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "report.html"
    code, out, err = _run(["check", str(NEEDS_WORK), "--format", "html", "-o", str(target)], capsys)
    assert code == 1 and out == "" and target.is_file()
    assert err.startswith(f"policylint: wrote the report to {target}: 1 file checked: ")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# Returns\n\nYou can return any item within 30 days.\n", "markdown"),
        ("Returns:\n\n- within 30 days\n- in its box\n", "markdown"),
        ("<!DOCTYPE html>\n<h1>Returns</h1><p>You can return any item within 30 days.</p>", "html"),
        ("<section><h2>Returns</h2></section>", "html"),
        ("Returns\n\nYou can return any item within 30 days.\n", "text"),
    ],
)
def test_stdin_without_a_name_is_sniffed_and_the_guess_is_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], text: str, fmt: str
) -> None:
    import json

    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, err = _run(["check", "-", "--format", "json", "--fail-on", "never"], capsys)
    assert code == 0
    assert json.loads(out)["files"][0]["format"] == fmt
    assert err.startswith(f"policylint: read standard input as {fmt} (") and len(err.splitlines()) == 1
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    code, out, err = _run(["check", "-", "--format", "json", "--input-format", "text"], capsys)
    assert json.loads(out)["files"][0]["format"] == "text" and err == ""
