"""The base install (no extras) checks policies with every built-in pack: spacy-lookups-data (99 MB)
is the optional extra ``policylint[lookups]``, needed only by a pack whose lemma table policylint
does not ship, which then says so before checking anything (see nlp.py and shipped.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import EXAMPLES

#: Installed as sitecustomize in a subprocess: spacy-lookups-data cannot be imported, as in a
#: base install (a meta-path finder ahead of the others refuses it by name).
BLOCKER = """
import sys

class _NoLookups:
    def find_spec(self, name, path=None, target=None):
        if name == "spacy_lookups_data" or name.startswith("spacy_lookups_data."):
            raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)", name=name)
        return None

sys.meta_path.insert(0, _NoLookups())
"""


def run(
    tmp_path: Path, *args: str, blocked: bool, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER if blocked else "", encoding="utf-8")
    path = os.pathsep.join([str(site), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, "PYTHONPATH": path, "NO_COLOR": "1", "CI": "true"}
    return subprocess.run(
        [sys.executable, "-m", "policylint.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def test_the_blocker_blocks(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", "import spacy_lookups_data"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert done.returncode != 0 and "blocked by the test" in done.stderr


def test_a_full_run_on_the_examples_needs_no_spacy_lookups_data(tmp_path: Path) -> None:
    args = ("check", str(EXAMPLES), "--format", "json", "--no-cache", "--today", "2026-12-06")
    without = run(tmp_path, *args, blocked=True)
    assert without.returncode == 1, without.stderr
    assert "lookups" not in without.stderr
    with_it = run(tmp_path, *args, blocked=False)
    assert json.loads(without.stdout) == json.loads(with_it.stdout)
    assert len(json.loads(without.stdout)["findings"]) > 10


def test_every_built_in_language_checks_without_spacy_lookups_data(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "lang"
    files = [
        str(EXAMPLES / "needs-work" / "service-policy.md"),
        *sorted(str(p) for p in fixtures.glob("*-bad.md")),
    ]
    assert {Path(f).name[:2] for f in files[1:]} >= {"da", "nb", "hr", "et", "de"}
    args = ("check", *files, "--format", "json", "--no-cache", "--today", "2026-12-06")
    without = run(tmp_path, *args, blocked=True)
    assert without.returncode in (0, 1), without.stderr
    assert json.loads(without.stdout) == json.loads(run(tmp_path, *args, blocked=False).stdout)


def test_a_pack_that_translates_messages_only_needs_no_extra(tmp_path: Path) -> None:
    (tmp_path / "packs").mkdir()
    (tmp_path / "packs" / "da.toml").write_text(
        '[language]\ncode = "da"\nname = "Dansk"\nspacy = "da"\n\n'
        '[rules."dates.vague-time"]\nmessage = "Uklar tid: “{match}” siger ikke hvornår."\n',
        encoding="utf-8",
    )
    (tmp_path / "policylint.toml").write_text('rule_paths = ["packs"]\n', encoding="utf-8")
    policy = tmp_path / "da-bad.md"  # under the config
    policy.write_text((Path(__file__).parent / "fixtures" / "lang" / "da-bad.md").read_text(encoding="utf-8"))
    done = run(tmp_path, "check", str(policy), "--no-cache", "--select", "dates", blocked=True, cwd=tmp_path)
    assert done.returncode in (0, 1) and "Uklar tid" in done.stdout, done.stderr


def test_a_pack_with_no_shipped_lemma_table_names_the_extra(tmp_path: Path) -> None:
    """A new phrase changes the vocabulary: its lemma table must come from spacy-lookups-data."""
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "en.toml"
    pack.write_text(
        '[language]\ncode = "en"\nname = "English"\nspacy = "en"\n\n'
        '[rules."jargon.legalese".terms]\n"hitherto unmentioned" = "new"\n',
        encoding="utf-8",
    )
    (tmp_path / "policylint.toml").write_text('rule_paths = ["packs"]\n', encoding="utf-8")
    policy = tmp_path / "policy.md"  # under the config
    policy.write_text((EXAMPLES / "good" / "customer-service-policy.md").read_text(encoding="utf-8"))
    done = run(tmp_path, "check", str(policy), "--no-cache", blocked=True, cwd=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "policylint[lookups]" in done.stderr and str(pack) in done.stderr and not done.stdout
    with_it = run(tmp_path, "check", str(policy), "--no-cache", blocked=False, cwd=tmp_path)
    assert with_it.returncode in (0, 1), with_it.stderr
