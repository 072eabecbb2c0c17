"""The pipeline's own components agree with what they replace: spaCy's Sentencizer for sentence
starts, and one lemma per token from the lookup table."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES

spacy = pytest.importorskip("spacy")

from policylint.nlp import _LemmaComponent, _Sentences  # noqa: E402

_PIECES = [
    "word",
    "Dr.",
    "e.g.",
    "...",
    ".",
    "!",
    "?",
    "…",
    ";",
    '"',
    "'",
    "(",
    ")",
    "“",
    "”",
    "-",
    " ",
    "\n",
    "。",
    "a",
]


@lru_cache(maxsize=1)
def _pipes() -> tuple[Any, Any, Any]:
    from spacy.pipeline import Sentencizer

    nlp = spacy.blank("en")
    return nlp, nlp.add_pipe("sentencizer"), _Sentences(Sentencizer.default_punct_chars)


def _both(text: str) -> tuple[list[bool], list[bool]]:
    nlp, reference, ours = _pipes()
    expected = [t.is_sent_start for t in reference(nlp.make_doc(text))]
    got = [t.is_sent_start for t in ours(nlp.make_doc(text))]
    return expected, got


@pytest.mark.parametrize("path", sorted(EXAMPLES.rglob("*.*")), ids=lambda p: p.name)
def test_sentence_starts_match_spacys_sentencizer_on_the_examples(path: Path) -> None:
    for paragraph in path.read_text("utf-8").split("\n\n"):
        expected, got = _both(paragraph)
        assert got == expected, paragraph


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_sentence_starts_match_spacys_sentencizer_on_random_punctuation(text: str) -> None:
    expected, got = _both(text)
    assert got == expected


def test_lemmas_come_from_the_table_and_default_to_the_lowercase_form() -> None:
    nlp = _pipes()[0]
    component = _LemmaComponent({"commenced": "commence", "terms": "term"})
    doc = component(nlp.make_doc("Service Commenced under these Terms."))
    assert [t.lemma_ for t in doc] == ["service", "commence", "under", "these", "term", "."]
    assert len(component(nlp.make_doc(""))) == 0


_SPACY_PROBE = """
import sys
from policylint.spacy_import import import_spacy
spacy = import_spacy()
assert "spacy.cli" not in sys.modules, "spacy.cli was imported"
assert not hasattr(spacy, "cli")
nlp = spacy.blank("en")
assert [t.text for t in nlp("It works.")] == ["It", "works", "."]
import spacy.cli  # a caller that wants the real command-line package still gets it
assert callable(spacy.cli.download)
assert isinstance(spacy.info(markdown=False, silent=True), dict)  # the placeholder forwards
print("ok")
"""


def test_spacy_is_imported_without_its_command_line_package() -> None:
    """Fresh interpreter: the import in this test process has already happened."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _SPACY_PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


_FORWARD_PROBE = """
import sys, types
from policylint import spacy_import
placeholder = spacy_import._Placeholder("spacy.cli.info")
sys.modules["spacy.cli.info"] = placeholder
# Reading any attribute imports the real module (as a spaCy release needing more from its CLI would).
assert callable(placeholder.info)
assert not isinstance(sys.modules["spacy.cli.info"], spacy_import._Placeholder)
print("ok")
"""


def test_a_placeholder_forwards_to_the_real_cli_module() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _FORWARD_PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


_FREEZE_PROBE = """
import contextlib, gc, io, sys
from policylint import nlp
nlp.pipeline("en")
library = gc.get_freeze_count()
nlp.pipeline.cache_clear()
from policylint.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "--no-cache", "--no-progress", sys.argv[1]])
print(library, gc.get_freeze_count())
"""


def test_only_the_cli_freezes_the_heap_after_building_a_pipeline(tmp_path: Path) -> None:
    """A host application's garbage collector is left alone; a CLI run freezes its warm heap."""
    import subprocess
    import sys

    policy = tmp_path / "policy.md"
    policy.write_text("# Returns\n\nYou may return items within 30 days.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", _FREEZE_PROBE, str(policy)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    library, cli = (int(n) for n in done.stdout.split())
    assert library == 0
    assert cli > 10_000  # spaCy, the vocabulary and the packs
